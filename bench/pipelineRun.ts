/**
 * One run of the whole pipeline (runProject: ingest, extraction, doctests, then the LLM stages) on a corpus
 * folder, with every interval the benchmark's timeline needs recorded: the engine's requests (on its own
 * clock, bench/clockedEngine.ts), each LLM call as the pipeline's runner saw it, every Python call (both
 * pools) and every storage operation (fake-indexeddb), and how busy the pipeline's thread was.
 */
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { SemiverseDb } from '../src/adapters/storage/db.ts';
import { DexieStore } from '../src/adapters/storage/dexieStore.ts';
import type { StoragePort } from '../src/core/ports.ts';
import { funnel } from '../src/core/pipeline/funnel.ts';
import type { LlmRunner } from '../src/core/pipeline/llmRunner.ts';
import { newProject, runProject, type RunEnd } from '../src/core/run/runProject.ts';
import { benchmarkItems, buildBenchmarkIndex } from '../src/core/screen/index.ts';
import { screensWith } from '../src/core/screen/screenStage.ts';
import type { ChatRequest } from '../src/domain/llm.ts';
import {
  DEFAULT_PIPELINE_SETTINGS,
  type FunnelRow,
  type LlmStage,
  type PipelineConfig,
} from '../src/domain/pipeline.ts';
import type { ProjectNotice } from '../src/domain/records.ts';
import { keyOf } from '../src/lib/hash.ts';
import { benchmarkText } from '../test/builders/benchmarks.ts';
import { folderFromDisk } from '../test/builders/fsFolder.ts';
import { ClockedEngine, type Generation } from './clockedEngine.ts';
import { CorpusModel } from './corpusModel.ts';
import { analyse, gaps, type Span, type TimelineFigures } from './engineTimeline.ts';
import type { CorpusTask } from './pipelineCorpus.ts';
import { pythonFigures, type PythonFigures } from './pythonFigures.ts';
import type { ThreadPython } from './threadPython.ts';
import { timedCalls } from './timedCalls.ts';

/**
 * The screening phase's screens with the benchmark index built here (the app's comes from its build, which
 * tsx does not run). Screening runs after the LLM phase and is not part of what is measured.
 */
const screens = screensWith(async () =>
  buildBenchmarkIndex(benchmarkItems(benchmarkText('HumanEval.jsonl'), benchmarkText('mbpp_sanitized.jsonl'))),
);

/** How often a run says how far it got. */
const PROGRESS_MS = 30_000;

export type RunSetup = {
  dir: string;
  tasks: CorpusTask[];
  concurrency: number;
  msPerToken: number;
  python: ThreadPython;
  recheck: ThreadPython;
  db: string;
  /** Replaces the oracle's number of mutants (DEFAULT_PIPELINE_SETTINGS.oracle.mutants) when given. */
  mutants?: number;
};

/** One LLM call as the pipeline's runner saw it; `generation` is null when it was answered from storage. */
export type LlmAsk = {
  stage: LlmStage;
  asked: number;
  /** Its cache lookup done: from here it waits for a slot at the runner, then for the engine. */
  ready: number;
  returned: number;
  generation: Generation | null;
};

export type RunResult = {
  concurrency: number;
  msPerToken: number;
  mutants: number;
  end: RunEnd;
  notice: ProjectNotice | null;
  functions: number;
  rows: FunnelRow[];
  /** runProject from start to end, and the LLM phase (from the project entering 'generating'). */
  wholeMs: number;
  phaseStart: number;
  timeline: TimelineFigures;
  gaps: number[];
  asks: LlmAsk[];
  /** Time the scripted model spent picking replies, on the pipeline's thread. */
  scriptMs: number;
  /** The pipeline's thread: share of the LLM phase it was busy (event loop utilisation). */
  threadBusy: number;
  /** CPU time of this whole process (pipeline, Python threads, storage) during the LLM phase. */
  cpuMs: number;
  /** The LLM phase's Python calls, both pools (pythonFigures.ts). */
  python: PythonFigures;
  storageCalls: number;
};

export async function runPipeline(setup: RunSetup): Promise<RunResult> {
  const { python, recheck, concurrency, msPerToken } = setup;
  python.calls.length = 0;
  recheck.calls.length = 0;
  const capabilities = {
    engine: 'openai' as const,
    model: 'scripted-corpus',
    concurrency,
    logprobs: true,
    jsonSchema: true,
  };
  const engine = new ClockedEngine(
    new CorpusModel(
      setup.tasks.map((t) => t.fn),
      capabilities,
    ),
    msPerToken,
  );
  let phaseStart = Number.NaN;
  // The LLM phase ends when the project leaves 'generating' (screening follows; not measured here).
  let phaseEnd = Number.NaN;
  let eluAtPhase = performance.eventLoopUtilization();
  let cpuAtPhase = process.cpuUsage();
  let threadBusy = Number.NaN;
  let cpu: NodeJS.CpuUsage | null = null;
  let finished = 0;
  const { proxy: storage, calls: storageCalls } = timedCalls<StoragePort>(
    new DexieStore(new SemiverseDb(setup.db)),
    (method, args) => {
      const row = args[0] as { stage?: string; status?: string } | undefined;
      if (method === 'saveStage' && (row?.status === 'dropped' || row?.stage === 'verify')) finished += 1;
      const patch = args[1] as { phase?: string } | undefined;
      if (method === 'updateProject' && patch?.phase === 'generating') {
        phaseStart = performance.now();
        eluAtPhase = performance.eventLoopUtilization();
        cpuAtPhase = process.cpuUsage();
      } else if (method === 'updateProject' && patch?.phase && !Number.isNaN(phaseStart) && Number.isNaN(phaseEnd)) {
        phaseEnd = performance.now();
        threadBusy = performance.eventLoopUtilization(eluAtPhase).utilization;
        cpu = process.cpuUsage(cpuAtPhase);
      }
    },
  );
  const pipeline: PipelineConfig = {
    mode: 'llm',
    model: { engine: 'openai', id: engine.capabilities.model },
    settings:
      setup.mutants === undefined
        ? DEFAULT_PIPELINE_SETTINGS
        : { ...DEFAULT_PIPELINE_SETTINGS, oracle: { ...DEFAULT_PIPELINE_SETTINGS.oracle, mutants: setup.mutants } },
    fingerprints: null,
  };
  const source = folderFromDisk(setup.dir, 'corpus');
  const project = newProject(setup.db, source, Date.now(), pipeline);
  await storage.createProject(project);
  // Only timestamps while it runs (the pipeline's thread is what is measured); joined afterwards.
  const calls: { stage: LlmStage; request: ChatRequest; asked: number; returned: number }[] = [];
  const onLlmRunner = (runner: LlmRunner): void => {
    const call = runner.call.bind(runner);
    runner.call = async (functionId, stage, request, signal) => {
      const asked = performance.now();
      const reply = await call(functionId, stage, request, signal);
      calls.push({ stage, request, asked, returned: performance.now() });
      return reply;
    };
  };

  const started = performance.now();
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    console.log(
      `  ${s.toFixed(0)} s: ${finished} functions through the LLM stages, ${engine.generations.length} requests answered`,
    );
  }, PROGRESS_MS);
  let end: RunEnd;
  try {
    end = await runProject(
      { storage, python, recheck, llm: engine, onLlmRunner, screens },
      project.id,
      undefined,
      source,
    );
  } finally {
    clearInterval(progress);
  }
  const ended = Number.isNaN(phaseEnd) ? performance.now() : phaseEnd;
  if (Number.isNaN(threadBusy)) threadBusy = performance.eventLoopUtilization(eluAtPhase).utilization;
  const phaseCpu = cpu ?? process.cpuUsage(cpuAtPhase);

  const done = await storage.project(project.id);
  const config = done?.pipeline;
  const ids = (await storage.pipelineFunctions(project.id)).map((f) => f.id);
  const rows =
    config?.mode === 'llm' && config.fingerprints
      ? funnel(ids, await storage.stageVerdicts(project.id), config.fingerprints)
      : [];
  const byRequest = new Map(engine.generations.map((g) => [g.request, g]));
  const lookups = new Map(storageCalls.filter((c) => c.method === 'llmCall').map((c) => [c.args[0] as string, c]));
  const asks: LlmAsk[] = calls.map(({ stage, request, asked, returned }) => ({
    stage,
    asked,
    ready: lookups.get(keyOf(project.id, pipeline.model, request))?.end ?? asked,
    returned,
    generation: byRequest.get(request) ?? null,
  }));
  const pythonCalls = [...python.calls, ...recheck.calls];
  const span = (start: number, end: number): Span => ({ start, end });
  const window = span(Number.isNaN(phaseStart) ? started : phaseStart, ended);
  const generations = engine.generations;
  const timeline = analyse({
    window,
    concurrency,
    generating: generations.map((g) => span(g.started, g.finished)),
    undelivered: generations.map((g) => span(g.finished, g.delivered)),
    ready: asks.flatMap((a) => (a.generation ? [span(a.ready, a.generation.asked)] : [])),
    python: pythonCalls.map((c) => span(c.started, c.ended)),
    pythonQueued: pythonCalls.map((c) => span(c.asked, c.started)),
    storage: storageCalls.map((c) => span(c.start, c.end)),
  });
  return {
    concurrency,
    msPerToken,
    mutants: setup.mutants ?? DEFAULT_PIPELINE_SETTINGS.oracle.mutants,
    end,
    notice: done?.notice ?? null,
    functions: ids.length,
    rows,
    wholeMs: ended - started,
    phaseStart: window.start - started,
    timeline,
    gaps: gaps(generations.map((g) => span(g.started, g.finished))),
    asks,
    scriptMs: generations.reduce((sum, g) => sum + g.scriptMs, 0),
    threadBusy,
    cpuMs: (phaseCpu.user + phaseCpu.system) / 1000,
    python: pythonFigures(pythonCalls.filter((c) => c.started >= window.start && c.started < window.end)),
    storageCalls: storageCalls.filter((c) => c.start >= window.start).length,
  };
}
