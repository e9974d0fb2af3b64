/**
 * What the UI shows of the LLM pipeline, from stored data (pure, no Python): where each function stands,
 * the funnel's text, the table's LLM filters, canonical values in Python's notation, a function's record
 * with stale verdicts marked, and the pipeline state's pacing of reads.
 */
import { describe, expect, it } from 'vitest';
import { funnel } from '../../src/core/pipeline/funnel.ts';
import type { StageVerdict } from '../../src/core/ports.ts';
import { DEFAULT_PIPELINE_SETTINGS, LLM_STAGES, type LlmStage, type StageRow } from '../../src/domain/pipeline.ts';
import type { ProjectRow } from '../../src/domain/records.ts';
import { callText, canonText, lineRanges, pyString } from '../../src/state/canonText.ts';
import { Notices } from '../../src/state/notices.svelte.ts';
import { PipelineState, speedOf } from '../../src/state/pipeline.svelte.ts';
import {
  functionVerdicts,
  funnelText,
  matchesLlm,
  NO_LLM_FILTER,
  pipelineRecord,
  verdictText,
} from '../../src/state/pipelineView.ts';
import type { Services } from '../../src/state/services.ts';
import { sameSettings, settingsText } from '../../src/state/settingsText.ts';

const PRINTS = Object.fromEntries(LLM_STAGES.map((s) => [s, `${s}-v2`])) as Record<LlmStage, string>;

function verdict(
  functionId: string,
  stage: LlmStage,
  status: 'kept' | 'dropped',
  extra: Partial<StageVerdict> = {},
): StageVerdict {
  return {
    functionId,
    path: 'a.py',
    stage,
    fingerprint: PRINTS[stage],
    status,
    reason: status === 'dropped' ? 'no-inputs' : null,
    tokens: 10,
    ...extra,
  };
}

/** f1 accepted, f2 dropped at probe, f3 waiting at judge, f4 with only stale verdicts, f5 untouched. */
function sample(): { functions: string[]; verdicts: StageVerdict[] } {
  const all = (id: string) => LLM_STAGES.map((s) => verdict(id, s, 'kept'));
  return {
    functions: ['f1', 'f2', 'f3', 'f4', 'f5'],
    verdicts: [
      ...all('f1'),
      verdict('f2', 'select', 'kept'),
      verdict('f2', 'probe', 'dropped'),
      ...LLM_STAGES.slice(0, 4).map((s) => verdict('f3', s, 'kept')),
      ...all('f4').map((v) => ({ ...v, fingerprint: 'old' })),
    ],
  };
}

describe('where each function stands', () => {
  it('follows the current verdicts through the stages, as the funnel counts them', () => {
    const { functions, verdicts } = sample();
    const byFunction = functionVerdicts(functions, verdicts, PRINTS);
    expect(Object.fromEntries(byFunction)).toEqual({
      f1: { state: 'accepted' },
      f2: { state: 'dropped', stage: 'probe', reason: 'no-inputs' },
      f3: { state: 'pending', stage: 'judge' },
      f4: { state: 'pending', stage: 'select' },
      f5: { state: 'pending', stage: 'select' },
    });
    const rows = funnel(functions, verdicts, PRINTS);
    const pendingAt = (stage: LlmStage) =>
      [...byFunction.values()].filter((v) => v.state === 'pending' && v.stage === stage).length;
    for (const row of rows) expect(row.pending).toBe(pendingAt(row.stage));
    expect(verdictText(byFunction.get('f2')!)).toBe('✗ Probe inputs: no-inputs');
    expect(verdictText(byFunction.get('f1')!)).toBe('✓ accepted');
  });

  it('writes each funnel row in the stable form the tests parse, and its numbers add up', () => {
    const { functions, verdicts } = sample();
    const rows = funnel(functions, verdicts, PRINTS);
    expect(rows.map(funnelText)).toEqual([
      'Select 5 in 3 kept 0 dropped 2 pending',
      'Probe inputs 3 in 2 kept 1 dropped 0 pending',
      'Oracle 2 in 2 kept 0 dropped 0 pending',
      'Instruct 2 in 2 kept 0 dropped 0 pending',
      'Judge 2 in 1 kept 0 dropped 1 pending',
      'Solve 1 in 1 kept 0 dropped 0 pending',
      'Verify 1 in 1 kept 0 dropped 0 pending',
    ]);
  });

  it('filters by verdict, by the stage a function stopped at, and by minimum score', () => {
    const byFunction = functionVerdicts(sample().functions, sample().verdicts, PRINTS);
    const scores = new Map([
      ['f1', 0.9],
      ['f3', 0.4],
    ]);
    const pick = (filter: Partial<typeof NO_LLM_FILTER>) =>
      [...byFunction]
        .filter(([id, v]) => matchesLlm({ ...NO_LLM_FILTER, ...filter }, v, scores.get(id)))
        .map(([id]) => id);
    expect(pick({})).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(pick({ verdict: 'accepted' })).toEqual(['f1']);
    expect(pick({ verdict: 'dropped', stage: 'probe' })).toEqual(['f2']);
    expect(pick({ verdict: 'pending' })).toEqual(['f3', 'f4', 'f5']);
    expect(pick({ stage: 'judge' })).toEqual(['f3']);
    expect(pick({ minScore: 0.5 })).toEqual(['f1']);
    expect(pick({ minScore: 0.3, verdict: 'pending' })).toEqual(['f3']);
  });

  it('marks a function record’s stale verdicts, stages in pipeline order, exchanges by time', () => {
    const row = (stage: LlmStage, fingerprint: string): StageRow => ({
      id: `f#${stage}`,
      projectId: 'p',
      functionId: 'f',
      path: 'a.py',
      stage,
      schemaVersion: 3,
      fingerprint,
      status: 'kept',
      reason: null,
      detail: '',
      tokens: 0,
      ms: 1,
      finishedAt: 0,
    });
    const record = pipelineRecord(
      {
        stages: [row('judge', 'old'), row('select', PRINTS.select)],
        data: [
          {
            id: 'f#select',
            projectId: 'p',
            schemaVersion: 3,
            output: {
              stage: 'select',
              entryPoint: 'f',
              kind: 'function',
              params: { names: [], required: 0, max: 0 },
              signature: 'f()',
            },
          },
        ],
        calls: [
          {
            key: 'b',
            projectId: 'p',
            functionId: 'f',
            stage: 'judge',
            schemaVersion: 3,
            request: {},
            result: {},
            ms: 1,
            at: 2,
          },
          {
            key: 'a',
            projectId: 'p',
            functionId: 'f',
            stage: 'probe',
            schemaVersion: 3,
            request: {},
            result: {},
            ms: 1,
            at: 1,
          },
        ],
      },
      PRINTS,
    );
    expect(record.stages.map((s) => [s.stage, s.current, s.output?.stage ?? null])).toEqual([
      ['select', true, 'select'],
      ['judge', false, null],
    ]);
    expect(record.calls.map((c) => c.key)).toEqual(['a', 'b']);
  });
});

describe('canonical values in Python notation', () => {
  it('writes every kind the harness produces', () => {
    const int = (v: string) => ({ t: 'int', v });
    const str = (v: string) => ({ t: 'str', v });
    expect(canonText({ t: 'none' })).toBe('None');
    expect(canonText({ t: 'bool', v: true })).toBe('True');
    expect(canonText(int('12345678901234567890'))).toBe('12345678901234567890');
    expect(canonText({ t: 'float', v: '-0.0' })).toBe('-0.0');
    expect(canonText({ t: 'float', v: 'nan' })).toBe("float('nan')");
    expect(canonText({ t: 'complex', re: '1.0', im: '-2.0' })).toBe('complex(1.0, -2.0)');
    expect(canonText(str("it's\n"))).toBe('"it\'s\\n"');
    expect(canonText({ t: 'bytes', v: '6869' })).toBe("bytes.fromhex('6869')");
    expect(canonText({ t: 'list', v: [int('1'), { t: 'tuple', v: [str('a')] }] })).toBe("[1, ('a',)]");
    expect(canonText({ t: 'set', v: [] })).toBe('set()');
    expect(canonText({ t: 'frozenset', v: [int('1')] })).toBe('frozenset({1})');
    expect(canonText({ t: 'dict', v: [[str('k'), { t: 'none' }]] })).toBe("{'k': None}");
    expect(canonText({ t: 'dict', type: 'collections.Counter', v: [[str('a'), int('2')]] })).toBe(
      "collections.Counter {'a': 2}",
    );
    expect(canonText({ t: 'range', v: [0, 10, 2] })).toBe('range(0, 10, 2)');
    expect(canonText({ t: 'fraction', v: '1/3' })).toBe('Fraction(1, 3)');
    expect(canonText({ t: 'decimal', v: '1.10' })).toBe("Decimal('1.10')");
    expect(canonText({ t: 'exception', type: 'ValueError', args: [str('bad')] })).toBe("ValueError('bad')");
    expect(canonText({ t: 'obj', type: 'Point', fields: { x: int('1'), y: int('2') } })).toBe('Point(x=1, y=2)');
    expect(canonText({ t: 'obj', type: 'Thing', v: '<Thing>' })).toBe('<Thing>');
    expect(canonText({ t: 'list', v: [int('1'), { t: 'more', n: 5 }] })).toBe('[1, … 5 more]');
    expect(canonText({ t: 'str', v: 'abc', cut: 200000 })).toBe("'abc'… (200000 in all)");
  });

  it('shows data that is not a canonical value as it is, and cuts long text', () => {
    expect(canonText({ weird: 1 })).toBe('{"weird":1}');
    expect(canonText({ t: 'str', v: 'x'.repeat(5000) }).length).toBe(2001);
    expect(pyString('a"b\'c')).toBe("'a\"b\\'c'");
  });

  it('writes calls and line ranges', () => {
    expect(callText('Box.make', { args: ['1', "'a'"], kwargs: { k: 'None' } })).toBe("Box.make(1, 'a', k=None)");
    expect(lineRanges([8, 3, 4, 5, 10, 11, 4])).toBe('3–5, 8, 10–11');
  });
});

describe('settings and speed', () => {
  it('says the settings in one line and compares them by value', () => {
    expect(settingsText(DEFAULT_PIPELINE_SETTINGS)).toMatch(
      /^5 candidates \(temperature 0\.8, ≤ 1024 tokens\) · judge ≥ 0\.5/,
    );
    expect(sameSettings(DEFAULT_PIPELINE_SETTINGS, structuredClone(DEFAULT_PIPELINE_SETTINGS))).toBe(true);
    expect(sameSettings(DEFAULT_PIPELINE_SETTINGS, { ...DEFAULT_PIPELINE_SETTINGS, seed: 1 })).toBe(false);
  });

  it('takes the engine’s decode speed, else measures it over the time it was busy', () => {
    const stats = {
      calls: 3,
      cached: 1,
      promptTokens: 100,
      completionTokens: 50,
      busyMs: 2000,
      spanMs: 3000,
      decodeTokensPerSecond: null,
    };
    expect(speedOf(stats)).toEqual({ tokensPerSecond: 25, calls: 3, cached: 1, tokens: 150 });
    expect(speedOf({ ...stats, decodeTokensPerSecond: 80 }).tokensPerSecond).toBe(80);
  });
});

describe('pipeline state', () => {
  function project(phase: ProjectRow['phase']): ProjectRow {
    return {
      id: 'p',
      phase,
      pipeline: {
        mode: 'llm',
        model: { engine: 'openai', id: 'm' },
        settings: DEFAULT_PIPELINE_SETTINGS,
        fingerprints: PRINTS,
      },
    } as ProjectRow;
  }

  it('reads at once when a run starts or ends, not on every project update, and the scores only when asked', async () => {
    let reads = 0;
    let scoreReads = 0;
    const services = {
      reads: {
        pipelineVerdicts: async () => {
          reads += 1;
          return sample();
        },
      },
      scores: {
        judgeScores: async (ids: readonly string[]) => {
          scoreReads += 1;
          return new Map(ids.map((id) => [id, 0.8]));
        },
      },
    } as unknown as Services;
    const state = new PipelineState(services, new Notices());
    state.follow(project('generating'), true, null);
    state.follow(project('generating'), true, null); // a counter changed: same key, no read
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads).toBe(1);
    expect(state.rows?.map((r) => r.stage)).toEqual([...LLM_STAGES]);
    expect(state.accepted).toBe(1);
    expect(state.progress).toEqual({ done: 2, total: 5 });
    expect(state.verdicts.get('f2')).toMatchObject({ state: 'dropped' });
    expect(scoreReads).toBe(0);

    state.needScores(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(scoreReads).toBe(1);
    expect([...state.scores.keys()]).toEqual(['f1']); // the only current judge verdict

    state.follow(project('done'), false, null);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads).toBe(3);
    state.follow(null, false, null);
    expect(state.rows).toBeNull();
  });
});
