/**
 * The LLM pipeline end to end in Node: real ingest and extraction, real Python (the harness in process, a
 * second interpreter with another hash seed for rechecks), storage on fake-indexeddb, and a scripted LLM
 * that answers each function's requests with data.
 */
import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { funnel } from '../../src/core/pipeline/funnel.ts';
import { exportJsonl } from '../../src/core/export/exportJsonl.ts';
import { newProject, runProject } from '../../src/core/run/runProject.ts';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineConfig } from '../../src/domain/pipeline.ts';
import { corpusScenario, type ScriptedFunction } from '../builders/corpusLlm.ts';
import { funnelProblems } from '../builders/llmProject.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';
import type { Runner } from '../../workers/python/runner.ts';

let runner: Runner;
let recheckRunner: Runner;
const dirs: string[] = [];
let dbCount = 0;

beforeAll(async () => {
  [runner, recheckRunner] = await Promise.all([nodeRunner(0), nodeRunner(1)]);
});
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const FILES: FileMap = {
  'mathy.py': [
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
    'class Box:',
    '    def __init__(self, v):',
    '        self.v = v',
    '',
    '    def get(self):',
    '        return self.v',
    '',
  ].join('\n'),
};

const MODEL: FunctionsModel = [
  {
    entryPoint: 'add',
    instructions: ['named `add` that returns the sum of its two arguments.'],
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
    instructions: ['named `clamp` that limits x to the range [lo, hi].'],
    cases: [
      ['5', '0', '10'],
      ['-5', '0', '10'],
      ['15', '0', '10'],
      ['0', '0', '0'],
    ],
    solution: 'def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    return hi if x > hi else x',
  },
];
type FunctionsModel = ScriptedFunction[];

async function setup(files: FileMap) {
  const dir = await makeTempDir('semiverse-llm-');
  dirs.push(dir);
  await writeFiles(dir, files);
  const storage = new DexieStore(new SemiverseDb(`llm-${++dbCount}`));
  return { dir, storage, python: new InProcessPython(runner), recheck: new InProcessPython(recheckRunner) };
}

describe('the LLM pipeline', () => {
  it('turns functions without doctests into verified samples, and the funnel adds up', async () => {
    const { dir, storage, python, recheck } = await setup(FILES);
    const llm = new ScriptedLlm(corpusScenario(MODEL, { engine: 'openai' }));
    const pipeline: PipelineConfig = {
      mode: 'llm',
      model: { engine: 'openai', id: llm.capabilities.model },
      settings: DEFAULT_PIPELINE_SETTINGS,
      fingerprints: null,
    };
    const source = folderFromDisk(dir, 'mathy');
    const project = newProject(`p${dbCount}`, source, Date.now(), pipeline);
    await storage.createProject(project);
    const end = await runProject({ storage, python, recheck, llm }, project.id, undefined, source);
    const done = (await storage.project(project.id))!;
    expect(done.notice).toBeNull();
    expect(end).toBe('done');
    const ids = (await storage.pipelineFunctions(project.id)).map((f) => f.id);
    const config = done.pipeline as Extract<PipelineConfig, { mode: 'llm' }>;
    const rows = funnel(ids, await storage.stageVerdicts(project.id), config.fingerprints!);
    expect(funnelProblems(rows, ids.length, true)).toEqual([]);
    expect(rows[0]).toMatchObject({ stage: 'select', in: 4, kept: 2, dropped: { 'needs-instance': 2 } });
    expect(rows.at(-1)!.kept).toBe(2);
    const chunks: string[] = [];
    const summary = await exportJsonl(storage, done, (c) => void chunks.push(c), {
      natural: true,
      llm: true,
      response: 'solution',
    });
    console.log(summary, chunks.join(''));
    expect(summary.llm).toBe(2);
  });
});
