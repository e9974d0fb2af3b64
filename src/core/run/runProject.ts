/**
 * The pipeline: one staged run, in two configurations. Natural mode runs ingest → extract → dedup (copies
 * are found before any GPU time is spent: core/dedup) → doctests; with
 * an LLM it also runs the LLM stages (core/pipeline: select, probe, oracle, instruct, judge, solve, verify)
 * after the doctests, whose passing examples become extra tests. Both end by screening every sample
 * (core/screen/screenStage.ts: benchmarks, secrets, personal data, Python version). Invariants:
 * - where to resume is decided from stored data (pending files, pending functions, stage verdicts and
 *   their fingerprints), not from memory, so a reload at any point resumes without redoing finished work;
 * - only ingest needs the dropped folder; after a reload mid-ingest the run goes on with the files that
 *   were stored and says so (notice 'ingest-interrupted', ingestComplete = false);
 * - a cancellation leaves the project resumable; a fault (full disk, no Python, an engine that stopped)
 *   stops it with a notice that says what to do, and its finished work is kept;
 * - the LLM stages run only with an engine running the project's model: without one the run waits
 *   (notice 'llm-missing' or 'llm-mismatch'), it never runs them on another model by itself.
 */
import { StorageError, isAbortError } from '../../domain/errors.ts';
import type { ModelRef } from '../../domain/pipeline.ts';
import {
  SCHEMA_VERSION,
  emptyCounts,
  type ProjectNotice,
  type ProjectPhase,
  type ProjectRow,
} from '../../domain/records.ts';
import type { PipelineConfig } from '../../domain/pipeline.ts';
import { extractStage } from '../extract/extractStage.ts';
import { ingestStage, localModuleNames } from '../ingest/ingestStage.ts';
import type { FolderSource } from '../ingest/tree.ts';
import { fingerprints } from '../pipeline/fingerprints.ts';
import { generateStage } from '../pipeline/generateStage.ts';
import { stableJson } from '../../lib/hash.ts';
import { EngineStopped, type LlmRunner } from '../pipeline/llmRunner.ts';
import type { LlmClient, PythonPort, StoragePort } from '../ports.ts';
import { verifyStage } from '../verify/verifyStage.ts';
import { dedupStage } from '../dedup/dedupStage.ts';
import { defaultScreens, screenStage, type ScreensFor } from '../screen/screenStage.ts';
import { PythonUnavailableError } from './errors.ts';

/**
 * `recheck`, when given, is Python started with another PYTHONHASHSEED: every check is run on it a second
 * time (with another random seed too), so nothing that passes only by the luck of one seed (set order,
 * random numbers) is exported. `llm`: the engine for the LLM stages, when one is ready.
 */
export type RunDeps = {
  storage: StoragePort;
  python: PythonPort;
  recheck?: PythonPort;
  /**
   * The engine, or how to get it when the generating phase starts (a run that reads a dropped folder takes
   * the engine that is ready once the folder is read, not the one that was ready when it started).
   */
  llm?: LlmClient | null | (() => LlmClient | null);
  /** Hears the LLM runner of the generating phase (its speeds and tokens, for the progress panel). */
  onLlmRunner?: (runner: LlmRunner) => void;
  /** The screens of the screening phase, on this run's Python (core/screen; tests give their own). */
  screens?: ScreensFor;
};

/** The default per-function time limit for running doctests. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export function newProject(
  id: string,
  source: FolderSource,
  now: number,
  pipeline: PipelineConfig = { mode: 'natural' },
  timeoutMs = DEFAULT_TIMEOUT_MS,
): ProjectRow {
  return {
    id,
    schemaVersion: SCHEMA_VERSION,
    name: source.name,
    origin: source.origin,
    createdAt: now,
    updatedAt: now,
    phase: 'ingesting',
    ingestComplete: false,
    notice: null,
    settings: { timeoutMs },
    pipeline,
    counts: emptyCounts(),
    localModules: [],
    startedAt: now,
    finishedAt: null,
  };
}

/** How a run ended: the project is done, or it waits for an engine (see the notice), or it stopped. */
export type RunEnd = 'done' | 'waiting' | 'stopped';

type Phase = {
  phase: Exclude<ProjectPhase, 'done' | 'failed'>;
  /** Whether this configuration has the phase. */
  applies: (project: ProjectRow) => boolean;
  run: (deps: RunDeps, project: ProjectRow, signal?: AbortSignal, source?: FolderSource) => Promise<RunEnd | void>;
};

const PHASES: readonly Phase[] = [
  { phase: 'ingesting', applies: () => true, run: ingest },
  { phase: 'extracting', applies: () => true, run: extract },
  { phase: 'deduplicating', applies: () => true, run: dedup },
  { phase: 'verifying', applies: () => true, run: doctests },
  { phase: 'generating', applies: (p) => p.pipeline.mode === 'llm', run: generate },
  { phase: 'screening', applies: () => true, run: screen },
];

/**
 * Run (or resume) a project to the end. `source` is the dropped folder when the run starts from a drop; a
 * resumed run has none. Resolves when the project is done, waits for an engine, or stopped with a notice;
 * rejects with an AbortError when cancelled, and with the fault itself when even the notice could not be
 * stored.
 */
export async function runProject(
  deps: RunDeps,
  projectId: string,
  signal?: AbortSignal,
  source?: FolderSource,
): Promise<RunEnd> {
  const { storage } = deps;
  try {
    const start = await storage.project(projectId);
    if (!start || start.phase === 'done') return 'done';
    // A stopped run goes on from extraction (every stage skips what is stored); its reason is dealt with.
    if (start.phase === 'failed') await storage.updateProject(projectId, { notice: null });
    const resumeAt = start.phase === 'failed' ? (start.ingestComplete ? 'extracting' : 'ingesting') : start.phase;
    const from = Math.max(
      0,
      PHASES.findIndex((p) => p.phase === resumeAt),
    );
    for (const step of PHASES.slice(from)) {
      const project = await storage.project(projectId);
      if (!project) return 'done';
      if (!step.applies(project)) continue;
      if (project.phase !== step.phase) await storage.updateProject(projectId, { phase: step.phase });
      const end = await step.run(deps, project, signal, source);
      if (end === 'done' || end === 'waiting') return end;
    }
    await storage.updateProject(projectId, { phase: 'done', finishedAt: Date.now() });
    return 'done';
  } catch (error) {
    if (isAbortError(error)) throw error;
    // The project says why it stopped; when even that cannot be stored, the caller must tell the person.
    await storage.updateProject(projectId, { phase: 'failed', notice: faultNotice(error) }).catch(() => {
      throw error;
    });
    return 'stopped';
  }
}

/** A phase a finished or stopped project can be run again from (ingest needs the dropped folder again). */
export type RerunPhase = Exclude<ProjectPhase, 'ingesting' | 'done' | 'failed'>;

/**
 * Store new settings and have the next run (runProject) go on from `phase`: "Apply and find duplicates
 * again" runs dedup with the new settings and every phase after it, which skip what is stored and still
 * holds (doctests run stay, the LLM stages decide again only the functions dedup moved). A project not yet
 * past `phase` (or stopped: it resumes from extraction) keeps its phase, so nothing before it is skipped.
 * The caller must not call this while the project runs.
 */
export async function rerunFrom(
  storage: StoragePort,
  projectId: string,
  phase: RerunPhase,
  settings: Partial<ProjectRow['settings']> = {},
): Promise<void> {
  const project = await storage.project(projectId);
  if (!project) return;
  const at = (p: ProjectPhase) => PHASES.findIndex((step) => step.phase === p);
  const past = project.phase === 'done' || (project.phase !== 'failed' && at(project.phase) > at(phase));
  const again = past ? { phase, startedAt: Date.now(), finishedAt: null } : {};
  await storage.updateProject(projectId, { settings: { ...project.settings, ...settings }, ...again });
}

async function ingest(
  { storage }: RunDeps,
  project: ProjectRow,
  signal?: AbortSignal,
  source?: FolderSource,
): Promise<RunEnd | void> {
  if (source) {
    await ingestStage(storage, project.id, source, signal);
    await storage.updateProject(project.id, { ingestComplete: true });
  } else {
    const stored = (await storage.project(project.id))?.counts.filesAccepted ?? 0;
    await storage.updateProject(project.id, { ingestComplete: false, notice: { code: 'ingest-interrupted', stored } });
  }
  const after = await storage.project(project.id);
  if (after && after.counts.filesAccepted === 0) {
    const notice = after.ingestComplete ? nothingToDo(after) : after.notice;
    await storage.updateProject(project.id, { phase: 'done', finishedAt: Date.now(), notice });
    return 'done';
  }
}

async function extract({ storage, python }: RunDeps, project: ProjectRow, signal?: AbortSignal): Promise<void> {
  const localModules = localModuleNames(await storage.filePaths(project.id));
  await storage.updateProject(project.id, { localModules });
  await extractStage(storage, python, project.id, localModules, signal);
}

async function dedup({ storage, python }: RunDeps, project: ProjectRow, signal?: AbortSignal): Promise<void> {
  await dedupStage(storage, python, project, signal);
}

async function doctests(deps: RunDeps, project: ProjectRow, signal?: AbortSignal): Promise<void> {
  await verifyStage(deps.storage, deps.python, project.id, project.settings.timeoutMs, signal, deps.recheck);
}

async function generate(deps: RunDeps, project: ProjectRow, signal?: AbortSignal): Promise<RunEnd | void> {
  const { storage, python } = deps;
  const llm = typeof deps.llm === 'function' ? deps.llm() : deps.llm;
  const config = project.pipeline;
  if (config.mode !== 'llm') return;
  if (!llm) {
    await storage.updateProject(project.id, { notice: { code: 'llm-missing', model: config.model } });
    return 'waiting';
  }
  const ready: ModelRef = { engine: llm.capabilities.engine, id: llm.capabilities.model };
  if (ready.engine !== config.model.engine || ready.id !== config.model.id) {
    await storage.updateProject(project.id, { notice: { code: 'llm-mismatch', model: config.model, ready } });
    return 'waiting';
  }
  if (
    project.notice?.code === 'llm-missing' ||
    project.notice?.code === 'llm-mismatch' ||
    project.notice?.code === 'llm-stopped'
  )
    await storage.updateProject(project.id, { notice: null });
  const prints = fingerprints(config.model, config.settings, llm.capabilities);
  if (stableJson(prints) !== stableJson(config.fingerprints))
    await storage.updateProject(project.id, { pipeline: { ...config, fingerprints: prints } });
  const recheck = deps.recheck ?? python;
  await generateStage(
    { storage, python, recheck, llm },
    project.id,
    config.model,
    config.settings,
    signal,
    deps.onLlmRunner,
  );
}

async function screen(deps: RunDeps, project: ProjectRow, signal?: AbortSignal): Promise<void> {
  const screensFor = deps.screens ?? defaultScreens;
  if (!screensFor) return;
  await screenStage(deps.storage, project, await screensFor(deps.python), signal);
}

function nothingToDo(project: ProjectRow): ProjectNotice {
  const { seen, filesSkipped } = project.counts;
  return seen === 0 ? { code: 'empty' } : { code: 'no-python', seen, skipped: filesSkipped };
}

/** Why a run stopped, as a code the UI words (state/problemText.ts). */
export function faultNotice(error: unknown): ProjectNotice {
  if (error instanceof StorageError && error.code === 'quota') return { code: 'storage-quota' };
  if (error instanceof StorageError) return { code: 'storage', storage: error.code, detail: error.message };
  if (error instanceof PythonUnavailableError) return { code: 'python-unavailable', detail: error.message };
  if (error instanceof EngineStopped)
    return { code: 'llm-stopped', llm: error.error.code, detail: error.error.message, action: error.error.action };
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'internal', detail };
}
