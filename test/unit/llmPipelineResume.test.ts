/**
 * Runs that do not go straight through: a parameter changed after a run, a reload in the middle of one,
 * an engine that fails. What is stored decides what is redone (fingerprints, the LLM answer cache), so the
 * checks read the stage rows (their fingerprints and finishedAt) and the scripted LLM's record of requests.
 * Real Python with time limits, scripted model, storage on fake-indexeddb.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmClient } from '../../src/core/ports.ts';
import { isAbortError } from '../../src/domain/errors.ts';
import type { ChatOptions, ChatRequest, ChatResult } from '../../src/domain/llm.ts';
import {
  DEFAULT_PIPELINE_SETTINGS,
  type FunnelRow,
  type PipelineSettings,
  type StageRow,
} from '../../src/domain/pipeline.ts';
import { stableJson } from '../../src/lib/hash.ts';
import { corpusScenario, type ScriptedFunction } from '../builders/corpusLlm.ts';
import { deadlinePython, type PythonPair } from '../builders/deadlinePython.ts';
import { funnelProblems, LlmProject, qualnameOf, runScripted } from '../builders/llmProject.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';

let pair: PythonPair;
beforeAll(async () => {
  pair = await deadlinePython(1_000);
});
afterAll(async () => {
  await pair?.dispose();
});

const PROGRAM = `def area(w, h):
    return w * h


def perimeter(w, h):
    return 2 * (w + h)


def diagonal(w, h):
    return (w * w + h * h) ** 0.5


def aspect(w, h):
    if h == 0:
        raise ZeroDivisionError("no height")
    return w / h
`;
const SIDES = [
  ['3', '4'],
  ['0', '5'],
  ['2.5', '2'],
  ['10', '1'],
  ['7', '7'],
];
const fenced = (code: string) => ({ text: `Here is the solution:\n\n\`\`\`python\n${code}\n\`\`\`\n` });
const solutionOf = (name: string) => {
  const start = PROGRAM.indexOf(`def ${name}(`);
  const end = PROGRAM.indexOf('\n\n\ndef ', start);
  return PROGRAM.slice(start, end < 0 ? undefined : end).trimEnd();
};
const fn = (name: string, what: string, extra: Partial<ScriptedFunction> = {}): ScriptedFunction => ({
  entryPoint: name,
  instructions: [`named \`${name}\` that ${what}`],
  cases: SIDES,
  solution: solutionOf(name),
  ...extra,
});
const FUNCTIONS: ScriptedFunction[] = [
  fn('area', 'returns the area of a w by h rectangle.'),
  fn('perimeter', 'returns the perimeter of a w by h rectangle.'),
  fn('diagonal', 'returns the length of the diagonal of a w by h rectangle.', { yes: 0.55 }),
  fn('aspect', 'returns w / h, raising ZeroDivisionError when h is 0.', { cases: [...SIDES, ['1', '0']] }),
];
const FILES = { 'rect.py': PROGRAM };

const byStage = (rows: StageRow[]) => new Map(rows.map((r) => [r.stage, r]));
const withoutTokens = (rows: FunnelRow[]) => rows.map(({ tokens: _tokens, ...rest }) => rest);

describe('a changed parameter', () => {
  it('redoes only the stage that reads it and those after it, from the stored LLM answers', async () => {
    const run = await runScripted({ files: FILES, functions: FUNCTIONS, pair });
    try {
      expect(await run.fates()).toEqual({
        area: 'accepted',
        perimeter: 'accepted',
        diagonal: 'accepted',
        aspect: 'accepted',
      });
      const ids = await run.project.functionIds();
      const before = new Map(
        await Promise.all(ids.map(async (id) => [id, byStage(await run.project.rows(id))] as const)),
      );
      const requests = run.llm.requests.length;
      const llmCalls = await run.project.llmCalls();

      await run.project.changeSettings({
        ...DEFAULT_PIPELINE_SETTINGS,
        judge: { ...DEFAULT_PIPELINE_SETTINGS.judge, threshold: 0.6 },
      });
      expect(await run.project.run()).toBe('done');

      expect(await run.fates()).toEqual({
        area: 'accepted',
        perimeter: 'accepted',
        diagonal: 'judge: below-threshold',
        aspect: 'accepted',
      });
      // Nothing was asked again: the judge's answers came from storage, and so did the solutions.
      expect(run.llm.requests.length).toBe(requests);
      expect(await run.project.llmCalls()).toBe(llmCalls);
      for (const id of ids) {
        const old = before.get(id)!;
        const now = byStage(await run.project.rows(id));
        for (const stage of ['select', 'probe', 'oracle', 'instruct'] as const)
          expect(now.get(stage), `${qualnameOf(id)} ${stage}`).toEqual(old.get(stage));
        expect(now.get('judge')!.fingerprint).not.toBe(old.get('judge')!.fingerprint);
        expect(now.get('judge')!.finishedAt).toBeGreaterThanOrEqual(old.get('judge')!.finishedAt);
        const keptByJudge = qualnameOf(id) !== 'diagonal';
        for (const stage of ['solve', 'verify'] as const) {
          // Redone where the judge kept the function (their fingerprints follow the judge's); left alone where it dropped it.
          if (keptByJudge)
            expect(now.get(stage)!.fingerprint, `${qualnameOf(id)} ${stage}`).not.toBe(old.get(stage)!.fingerprint);
          else expect(now.get(stage), `${qualnameOf(id)} ${stage}`).toEqual(old.get(stage));
        }
      }
      expect(funnelProblems(await run.project.funnel(), ids.length, true)).toEqual([]);
    } finally {
      await run.project.dispose();
    }
  }, 300_000);

  it('redoes the probe when oracle.minCases changes, as a fresh run with that setting would ask for more inputs', async () => {
    // The probe asks again until max(oracle.minCases, n / 2) inputs are usable (stages/probe.ts).
    const settings: PipelineSettings = {
      ...DEFAULT_PIPELINE_SETTINGS,
      probe: { ...DEFAULT_PIPELINE_SETTINGS.probe, mutations: 0 },
    };
    const more: PipelineSettings = { ...settings, oracle: { ...settings.oracle, minCases: 6, maxCases: 10 } };
    const probeReplies = [
      { text: JSON.stringify({ cases: SIDES.slice(0, 4).map((args) => ({ args })) }) },
      {
        text: JSON.stringify({
          cases: [
            ['1', '2'],
            ['8', '3'],
            ['6', '6'],
          ].map((args) => ({ args })),
        }),
      },
    ];
    const functions = [fn('area', 'returns the area of a w by h rectangle.', { override: { probe: probeReplies } })];
    const files = { 'area.py': 'def area(w, h):\n    return w * h\n' };

    const changed = await runScripted({ files, functions, pair, settings });
    const fresh = await runScripted({ files, functions, pair, settings: more });
    try {
      expect(await changed.fate('area')).toBe('accepted');
      expect((await changed.output('area', 'probe'))!.proposed).toHaveLength(4);
      await changed.project.changeSettings(more);
      expect(await changed.project.run()).toBe('done');
      expect((await fresh.output('area', 'probe'))!.proposed).toHaveLength(7);
      expect((await changed.output('area', 'probe'))!.proposed).toHaveLength(7);
      expect(await changed.fate('area')).toBe(await fresh.fate('area'));
    } finally {
      await changed.project.dispose();
      await fresh.project.dispose();
    }
  }, 300_000);
});

/** The scripted engine, with the run's signal aborted when the `after`-th request arrives (a reload). */
class ReloadAt implements LlmClient {
  #count = 0;
  constructor(
    private readonly inner: ScriptedLlm,
    private readonly after: number,
    private readonly controller: AbortController,
  ) {}
  get capabilities() {
    return this.inner.capabilities;
  }
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResult> {
    if (++this.#count === this.after) this.controller.abort();
    return this.inner.chat(request, options);
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

describe('a reload in the middle of a run', () => {
  let reference: { funnel: FunnelRow[]; stageRows: number; llmCalls: number; fates: Record<string, string> };
  beforeAll(async () => {
    const run = await runScripted({ files: FILES, functions: FUNCTIONS, pair });
    reference = {
      funnel: await run.project.funnel(),
      stageRows: await run.project.storage.db.stages.count(),
      llmCalls: await run.project.llmCalls(),
      fates: await run.fates(),
    };
    await run.project.dispose();
  }, 300_000);

  it.each([3, 17, 31])(
    'after %i LLM requests: resumes without asking anything twice, and ends as an uninterrupted run',
    async (after) => {
      const scenario = corpusScenario(FUNCTIONS);
      const first = new ScriptedLlm(scenario);
      const controller = new AbortController();
      const project = await LlmProject.create({ files: FILES, llm: first, python: pair.python, recheck: pair.recheck });
      try {
        const stopped = await project
          .run({ llm: new ReloadAt(first, after, controller), signal: controller.signal })
          .catch((e: unknown) => e);
        expect(isAbortError(stopped)).toBe(true);
        expect(first.requests.filter((r) => r.outcome === 'ok').length).toBe(after - 1);

        // The page reloads: a new engine, the same storage.
        const second = new ScriptedLlm(scenario);
        expect(await project.run({ llm: second })).toBe('done');
        const answered = new Set(first.requests.filter((r) => r.outcome === 'ok').map((r) => stableJson(r.request)));
        expect(second.requests.filter((r) => answered.has(stableJson(r.request)))).toEqual([]);

        expect(withoutTokens(await project.funnel())).toEqual(withoutTokens(reference.funnel));
        const fates: Record<string, string> = {};
        for (const id of await project.functionIds()) fates[qualnameOf(id)] = await project.fate(id);
        expect(fates).toEqual(reference.fates);
        expect(await project.storage.db.stages.count()).toBe(reference.stageRows);
        expect(await project.llmCalls()).toBe(reference.llmCalls);
      } finally {
        await project.dispose();
      }
    },
    300_000,
  );
});

describe('engine failures', () => {
  it('retries a rate limit and goes on', async () => {
    const functions = [
      fn('area', 'returns the area of a w by h rectangle.', {
        override: { solve: [{ text: '', error: { code: 'rate-limit', retryable: true } }, fenced(solutionOf('area'))] },
      }),
    ];
    const run = await runScripted({ files: { 'area.py': 'def area(w, h):\n    return w * h\n' }, functions, pair });
    try {
      expect(await run.fates()).toEqual({ area: 'accepted' });
      expect(run.llm.requests.filter((r) => r.stage === 'solve').map((r) => r.outcome)).toEqual(['error', 'ok']);
    } finally {
      await run.project.dispose();
    }
  }, 300_000);

  it('drops only the function whose request the engine refuses (bad request)', async () => {
    const functions = [
      fn('area', 'returns the area of a w by h rectangle.'),
      fn('perimeter', 'returns the perimeter of a w by h rectangle.', {
        override: { probe: [{ text: '', error: { code: 'bad-request', retryable: false } }] },
      }),
    ];
    const files = { 'rect.py': PROGRAM.slice(0, PROGRAM.indexOf('\n\n\ndef diagonal')) + '\n' };
    const run = await runScripted({ files, functions, pair });
    try {
      expect(run.end).toBe('done');
      expect(await run.fates()).toEqual({ area: 'accepted', perimeter: 'probe: llm-refused' });
      expect((await run.rows('perimeter')).at(-1)!.detail).toMatch(/^bad-request: /);
      expect(run.llm.requests.filter((r) => r.stage === 'probe' && r.outcome === 'error')).toHaveLength(1);
    } finally {
      await run.project.dispose();
    }
  }, 300_000);

  it('stops the run when the engine cannot go on, keeps what was finished, and resumes from there', async () => {
    const failing = FUNCTIONS.map((f) =>
      f.entryPoint === 'perimeter'
        ? { ...f, override: { solve: [{ text: '', error: { code: 'network' as const, retryable: false } }] } }
        : f,
    );
    const first = new ScriptedLlm(corpusScenario(failing));
    const project = await LlmProject.create({ files: FILES, llm: first, python: pair.python, recheck: pair.recheck });
    try {
      expect(await project.run()).toBe('stopped');
      const stopped = await project.project();
      expect(stopped.phase).toBe('failed');
      expect(stopped.notice).toMatchObject({ code: 'llm-stopped', llm: 'network' });
      expect(first.requests.filter((r) => r.outcome === 'error')).toHaveLength(1);
      const ids = await project.functionIds();
      const perimeter = ids.find((id) => qualnameOf(id) === 'perimeter')!;
      expect((await project.rows(perimeter)).map((r) => r.stage)).toEqual([
        'select',
        'probe',
        'oracle',
        'instruct',
        'judge',
      ]);
      const kept = new Map<string, StageRow[]>();
      for (const id of ids) kept.set(id, await project.rows(id));
      expect([...kept.values()].flat().length).toBeGreaterThan(5);

      // The engine is back: the run goes on from what was stored.
      const second = new ScriptedLlm(corpusScenario(FUNCTIONS));
      expect(await project.run({ llm: second })).toBe('done');
      expect((await project.project()).notice).toBeNull();
      for (const [id, rows] of kept)
        for (const row of rows)
          expect(
            (await project.rows(id)).find((r) => r.stage === row.stage),
            `${qualnameOf(id)} ${row.stage}`,
          ).toEqual(row);
      const answered = new Set(first.requests.filter((r) => r.outcome === 'ok').map((r) => stableJson(r.request)));
      expect(second.requests.filter((r) => answered.has(stableJson(r.request)))).toEqual([]);
      expect(second.requests.map((r) => r.stage)).toContain('solve');
      const fates: Record<string, string> = {};
      for (const id of ids) fates[qualnameOf(id)] = await project.fate(id);
      expect(fates).toEqual({ area: 'accepted', perimeter: 'accepted', diagonal: 'accepted', aspect: 'accepted' });
    } finally {
      await project.dispose();
    }
  }, 300_000);
});
