/**
 * The run controller and the engine state together, as the app links them (state/engineRuns.ts), over
 * real ingest and extraction, real Python in process, storage on fake-indexeddb and scripted LLMs served
 * through a scripted "server": an LLM project from a drop, "Run with <model>" on a natural project, the
 * engine changed or disconnected mid-run (the run pauses before the client is disposed, nothing is lost,
 * nothing is asked twice), a project waiting for its model that goes on by itself, and a reload.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { DexieReads } from '../../src/adapters/storage/reads.ts';
import { RowGate } from '../../src/adapters/storage/rowGate.ts';
import { SettingsStore } from '../../src/adapters/storage/settingsStore.ts';
import { funnel } from '../../src/core/pipeline/funnel.ts';
import type { LlmClient, ServerConnector } from '../../src/core/ports.ts';
import { LlmError } from '../../src/domain/llm.ts';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineConfig, type PipelineSettings } from '../../src/domain/pipeline.ts';
import { linkEngineAndRuns } from '../../src/state/engineRuns.ts';
import { Notices } from '../../src/state/notices.svelte.ts';
import { PipelineSettingsState } from '../../src/state/pipelineSettings.svelte.ts';
import type { Services } from '../../src/state/services.ts';
import { corpusScenario, type ScriptedFunction } from '../builders/corpusLlm.ts';
import { folderFromDisk, makeTempDir, writeFiles } from '../builders/fsFolder.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';
import type { Runner } from '../../workers/python/runner.ts';

const SOURCE = [
  'def add(a, b):',
  '    return a + b',
  '',
  '',
  'def clamp(x, lo, hi):',
  '    if x < lo:',
  '        return lo',
  '    if x > hi:',
  '        return hi',
  '    return x',
  '',
  '',
  'def scale(xs, k):',
  '    return [x * k for x in xs]',
  '',
  '',
  'def double(x):',
  '    """Twice x.',
  '',
  '    >>> double(4)',
  '    8',
  '    """',
  '    return 2 * x',
  '',
  '',
  'class Box:',
  '    def __init__(self, v):',
  '        self.v = v',
  '',
  '    def get(self):',
  '        return self.v',
  '',
].join('\n');

const CORPUS: ScriptedFunction[] = [
  {
    entryPoint: 'add',
    instructions: ['Python function `add(a, b)` that returns the sum of its two arguments.'],
    cases: [
      ['1', '2'],
      ['-1', '1'],
      ['0', '0'],
      ["'a'", "'b'"],
    ],
    solution: 'def add(a, b):\n    return a + b',
  },
  {
    entryPoint: 'clamp',
    instructions: ['Python function `clamp(x, lo, hi)` that limits x to the range [lo, hi].'],
    cases: [
      ['5', '0', '10'],
      ['-5', '0', '10'],
      ['15', '0', '10'],
      ['0', '0', '0'],
    ],
    // Not max(lo, min(x, hi)): mutated inputs with lo > hi tell the two apart.
    solution: 'def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    return hi if x > hi else x',
  },
  {
    entryPoint: 'scale',
    instructions: ['Python function `scale(xs, k)` that multiplies every number of the list xs by k.'],
    cases: [
      ['[1, 2]', '3'],
      ['[]', '5'],
      ['[0.5]', '2'],
      ['[-1, 4, 9]', '-1'],
    ],
    solution: 'def scale(xs, k):\n    return [x * k for x in xs]',
  },
  {
    entryPoint: 'double',
    instructions: ['Python function `double(x)` that returns twice its argument.'],
    cases: [['4'], ['0'], ['-3'], ['2.5']],
    solution: 'def double(x):\n    return x * 2',
  },
];
/** add, clamp, scale, double are accepted; Box.get needs an instance (dropped at select). */
const ACCEPTED = 4;
const FUNCTIONS = 6; // Box.__init__ and Box.get are dropped at select

let runner: Runner;
let recheckRunner: Runner;
let dir: string;
let dbs = 0;

beforeAll(async () => {
  [runner, recheckRunner] = await Promise.all([nodeRunner(0), nodeRunner(1)]);
  dir = await makeTempDir('semiverse-state-');
  await writeFiles(dir, { 'mathy.py': SOURCE });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A "server" per model name: connecting hands out that model's scripted client (a fresh one each time). */
class Servers implements ServerConnector {
  readonly clients: ScriptedLlm[] = [];
  constructor(private readonly perTokenMs: number) {}
  async models() {
    return ['model-a', 'model-b'];
  }
  async connect(settings: { model: string; concurrency: number }): Promise<LlmClient> {
    if (settings.model === 'unreachable') throw new LlmError('network', 'Nothing answers.', 'Start the server.');
    const llm = new ScriptedLlm(
      corpusScenario(CORPUS, { engine: 'openai', concurrency: settings.concurrency }, this.perTokenMs),
      settings.model,
    );
    this.clients.push(llm);
    return llm;
  }
}

function server(model: string) {
  return { kind: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: '', model, concurrency: 1 } as const;
}

/** The app's state over one database: what AppState builds, without the UI's effects. */
function app(name: string, perTokenMs = 0, settings: PipelineSettings = DEFAULT_PIPELINE_SETTINGS) {
  const db = new SemiverseDb(name);
  const gate = new RowGate();
  const store = new DexieStore(db, gate);
  const reads = new DexieReads(db, gate);
  const python = new InProcessPython(runner);
  const recheck = new InProcessPython(recheckRunner);
  const servers = new Servers(perTokenMs);
  const services: Services = {
    store,
    reads,
    scores: reads,
    settings: new SettingsStore(db),
    pythonSession: () => ({ python, recheck, dispose: () => {} }),
    models: () => {
      throw new Error('no in-browser engine in these tests');
    },
    servers,
    readFolder: async () => folderFromDisk(dir, 'mathy'),
  };
  const notices = new Notices();
  let open: string | null = null;
  const { engine, run } = linkEngineAndRuns(services, notices, { settings: () => settings, current: () => open });
  return {
    db,
    store,
    reads,
    servers,
    notices,
    engine,
    run,
    openProject: (id: string | null) => void (open = id),
    project: async (id: string) => (await store.project(id))!,
  };
}

type App = ReturnType<typeof app>;

async function counts(a: App, id: string) {
  const project = await a.project(id);
  const config = project.pipeline as Extract<PipelineConfig, { mode: 'llm' }>;
  const { functions, verdicts } = await a.reads.pipelineVerdicts(id);
  return funnel(functions, verdicts, config.fingerprints!);
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every chat request that got an answer, as text: nothing answered once is asked again. */
function answered(clients: readonly ScriptedLlm[]): string[] {
  return clients.flatMap((c) => c.requests.filter((r) => r.outcome === 'ok').map((r) => JSON.stringify(r.request)));
}

describe('runs with an engine', () => {
  it('starts a dropped folder in LLM mode when an engine is ready, and reports the runner', async () => {
    const a = app(`state-${++dbs}`);
    await a.engine.choose(server('model-a'));
    expect(a.engine.status.state).toBe('ready');
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    await a.run.settled();
    const project = await a.project(id);
    expect(project.phase).toBe('done');
    expect(project.notice).toBeNull();
    expect(project.pipeline).toMatchObject({ mode: 'llm', model: { engine: 'openai', id: 'model-a' } });
    const rows = await counts(a, id);
    expect(rows[0]!.in).toBe(FUNCTIONS);
    expect(rows.at(-1)!.kept).toBe(ACCEPTED);
    const stats = a.run.runnerOf(id)!.stats;
    expect(stats.calls).toBeGreaterThan(0);
    expect(stats.completionTokens).toBeGreaterThan(0);

    // What the sample inspector and the score filter read.
    const { functions } = await a.reads.pipelineVerdicts(id);
    const scores = await a.reads.judgeScores(functions);
    expect(scores.size).toBe(ACCEPTED);
    for (const score of scores.values()) expect(score).toBeGreaterThan(0.5);
    const clamp = functions.find((f) => f.endsWith('|clamp'))!;
    const detail = await a.reads.pipelineDetail(clamp);
    expect(detail.stages.map((s) => s.stage)).toEqual([
      'select',
      'probe',
      'oracle',
      'instruct',
      'judge',
      'solve',
      'verify',
    ]);
    expect(detail.data.map((d) => d.output.stage)).toEqual(detail.stages.map((s) => s.stage));
    expect(new Set(detail.calls.map((c) => c.stage))).toEqual(new Set(['probe', 'instruct', 'judge', 'solve']));
  });

  it('starts in natural mode without an engine; "Run with <model>" adds the LLM stages and reuses the rest', async () => {
    const a = app(`state-${++dbs}`);
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    await a.run.settled();
    const natural = await a.project(id);
    expect(natural.phase).toBe('done');
    expect(natural.pipeline).toEqual({ mode: 'natural' });
    expect(natural.counts.byStatus.passed).toBe(1);

    await a.engine.choose(server('model-a'));
    await a.run.runWith(id);
    await a.run.settled();
    const after = await a.project(id);
    expect(after.phase).toBe('done');
    expect(after.pipeline).toMatchObject({
      mode: 'llm',
      model: { id: 'model-a' },
      settings: DEFAULT_PIPELINE_SETTINGS,
    });
    // Extraction and doctests were reused, not redone.
    expect(after.counts).toEqual(natural.counts);
    expect((await counts(a, id)).at(-1)!.kept).toBe(ACCEPTED);
  });

  it('"Run with <model>" while a dropped folder is still being read does not interrupt the reading', async () => {
    const a = app(`state-${++dbs}`);
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    await a.engine.choose(server('model-a'));
    await a.run.runWith(id);
    await a.run.settled();
    const project = await a.project(id);
    expect(project.phase).toBe('done');
    expect(project.ingestComplete).toBe(true);
    expect(project.notice).toBeNull();
    expect((await counts(a, id)).at(-1)!.kept).toBe(ACCEPTED);
  });

  it('pauses the run before the engine lets its client go, and goes on with the same model without asking twice', async () => {
    const a = app(`state-${++dbs}`, 4);
    await a.engine.choose(server('model-a'));
    const first = a.servers.clients[0]!;
    const disposed: { inFlight: number; pending: number }[] = [];
    const dispose = first.dispose.bind(first);
    first.dispose = async () => {
      const pending = first.requests.filter((r) => r.outcome === 'pending').length;
      disposed.push({ inFlight: first.inFlight, pending });
      return dispose();
    };
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    a.openProject(id);
    await until(
      'the LLM stages to be half way',
      async () => (await counts(a, id).catch(() => null))?.at(-1)?.kept === 1,
    );

    // Reconnect (another concurrency: another client of the same model) in the middle of the run.
    await a.engine.choose({ ...server('model-a'), concurrency: 2 });
    expect(disposed).toEqual([{ inFlight: 0, pending: 0 }]);
    expect(first.requests.some((r) => r.outcome === 'error')).toBe(false);
    await until('the run to go on and finish', async () => (await a.project(id)).phase === 'done');
    await a.run.settled();

    const project = await a.project(id);
    expect(project.notice).toBeNull();
    expect((await counts(a, id)).at(-1)!.kept).toBe(ACCEPTED);
    const second = a.servers.clients[1]!;
    expect(second.requests.length).toBeGreaterThan(0);
    const asked = answered([first, second]);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('waits for an engine when it is disconnected mid-run, and goes on by itself when it is back', async () => {
    const a = app(`state-${++dbs}`, 4);
    await a.engine.choose(server('model-a'));
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    a.openProject(id);
    await until('the LLM stages to start', async () => (await a.project(id)).phase === 'generating');
    await until('a first verdict', async () => (await a.reads.pipelineVerdicts(id)).verdicts.length > 0);

    await a.engine.choose({ kind: 'none' });
    await until('the run to wait', async () => (await a.project(id)).notice?.code === 'llm-missing');
    await a.run.settled();
    const waiting = await a.project(id);
    expect(waiting.phase).toBe('generating');
    expect(waiting.notice).toEqual({ code: 'llm-missing', model: { engine: 'openai', id: 'model-a' } });
    const kept = (await counts(a, id)).at(-1)!.kept;
    expect(kept).toBeLessThan(ACCEPTED);

    await a.engine.choose(server('model-a'));
    await until('the run to finish', async () => (await a.project(id)).phase === 'done');
    await a.run.settled();
    expect((await a.project(id)).notice).toBeNull();
    expect((await counts(a, id)).at(-1)!.kept).toBe(ACCEPTED);
    const asked = answered(a.servers.clients);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('says which model a waiting project needs when another is ready, and "Run with" moves it to that one', async () => {
    const a = app(`state-${++dbs}`, 2);
    await a.engine.choose(server('model-a'));
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    a.openProject(id);
    await until('a first verdict', async () => (await a.reads.pipelineVerdicts(id)).verdicts.length > 3);

    await a.engine.choose(server('model-b'));
    await until('the mismatch to be stored', async () => (await a.project(id)).notice?.code === 'llm-mismatch');
    await a.run.settled();
    const waiting = await a.project(id);
    expect(waiting.phase).toBe('generating');
    expect(waiting.notice).toMatchObject({ model: { id: 'model-a' }, ready: { id: 'model-b' } });
    const before = (await a.reads.pipelineVerdicts(id)).verdicts.length;

    await a.run.runWith(id);
    await a.run.settled();
    const moved = await a.project(id);
    expect(moved.phase).toBe('done');
    expect(moved.notice).toBeNull();
    expect(moved.pipeline).toMatchObject({ mode: 'llm', model: { id: 'model-b' } });
    expect((await counts(a, id)).at(-1)!.kept).toBe(ACCEPTED);
    // The other model's verdicts are replaced per stage as the new model's come in; select is shared.
    expect((await a.reads.pipelineVerdicts(id)).verdicts.length).toBeGreaterThanOrEqual(before);
  });

  it('pauses, resumes and cancels at any point without losing or repeating work', async () => {
    const a = app(`state-${++dbs}`, 3);
    await a.engine.choose(server('model-a'));
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150 + 200 * i));
      await a.run.pause();
      expect(a.run.running).toBeNull();
      a.run.resume(id);
    }
    await a.run.settled();
    await until('the run to finish', async () => (await a.project(id)).phase === 'done');
    expect((await counts(a, id)).at(-1)!.kept).toBe(ACCEPTED);
    const asked = answered(a.servers.clients);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('after a reload mid-run, resumes once the engine is restored', async () => {
    const name = `state-${++dbs}`;
    const before = app(name, 4);
    await before.engine.choose(server('model-a'));
    const id = await before.run.start(folderFromDisk(dir, 'mathy'));
    await until('a first verdict', async () => (await before.reads.pipelineVerdicts(id)).verdicts.length > 2);
    await before.run.pause(); // the page goes away
    before.db.close();

    const after = app(name, 0);
    after.openProject(id);
    after.run.resume(id); // Workspace resumes an unfinished project on load, before the engine is back
    await after.run.settled();
    expect((await after.project(id)).notice?.code).toBe('llm-missing');
    await after.engine.restore(); // the stored choice: the server reconnects
    await until('the run to finish', async () => (await after.project(id)).phase === 'done');
    await after.run.settled();
    expect((await counts(after, id)).at(-1)!.kept).toBe(ACCEPTED);
  });
});

describe('stage settings', () => {
  it('are the defaults until saved, then what was saved, repaired', async () => {
    const db = new SemiverseDb(`state-${++dbs}`);
    const notices = new Notices();
    const settings = new PipelineSettingsState(new SettingsStore(db), notices);
    await settings.load();
    expect(settings.current).toEqual(DEFAULT_PIPELINE_SETTINGS);
    const wanted = { ...DEFAULT_PIPELINE_SETTINGS, judge: { threshold: 3, samples: 2 }, seed: 7 };
    await settings.save(wanted);
    expect(settings.current.judge).toEqual({ threshold: 1, samples: 2 });
    const again = new PipelineSettingsState(new SettingsStore(db), notices);
    await again.load();
    expect(again.current).toEqual(settings.current);
    expect(notices.list).toEqual([]);
  });

  it('a new LLM project takes the saved settings', async () => {
    const custom: PipelineSettings = { ...DEFAULT_PIPELINE_SETTINGS, seed: 11, judge: { threshold: 0.6, samples: 3 } };
    const a = app(`state-${++dbs}`, 0, custom);
    await a.engine.choose(server('model-a'));
    const id = await a.run.start(folderFromDisk(dir, 'mathy'));
    await a.run.settled();
    expect((await a.project(id)).pipeline).toMatchObject({ mode: 'llm', settings: custom });
  });
});
