/**
 * What is stored, one type per table. Rows carry `schemaVersion` so a later release can recognise and
 * repair rows written by this one.
 *
 * Rows are per FILE, not per function: IndexedDB costs ~0.2-0.7 ms per row written in Chromium on these
 * machines whatever the row's size, so 60,000 functions as rows took minutes to store while extracting them
 * took 18 s. A file row carries its functions' summaries (what the table shows), a source row their full
 * analysis; only functions that actually ran get a row of their own (their outcome).
 */
import type { DedupSettings, DedupSummary } from './dataset.ts';
import type { ExtractedFunction, ModuleOrigin, Segment, SyntaxErrorInfo } from './extract.ts';
import type { StorageErrorCode } from './errors.ts';
import type { LlmErrorCode } from './llm.ts';
import type { ModelRef, PipelineConfig } from './pipeline.ts';
import type { SkippedPath } from './ingest.ts';
import type { FunctionStatus, RunOutcome } from './verify.ts';

/**
 * 2: ProjectRow.message became `notice` (a code the UI words); a nondeterministic result is its own outcome
 * (it was an 'error' with the invented exception type NondeterministicResult); OutcomeRow names the Python
 * that ran it (`runtime`).
 * 3: ProjectRow.pipeline (natural mode, or the LLM stages with a model and settings), phase 'generating',
 * and the LLM pipeline's tables (stages, stageData, llmCalls: domain/pipeline.ts).
 * 4: the dataset's tables (dedup, findings, licenses, imported: domain/dataset.ts), phases 'deduplicating'
 * and 'screening', origin 'import'. Rows of earlier tables keep their shape (no upgrade step).
 * The upgrades are in adapters/storage/upgrades.ts.
 */
export const SCHEMA_VERSION = 4;

export type ProjectPhase =
  'ingesting' | 'extracting' | 'deduplicating' | 'verifying' | 'generating' | 'screening' | 'done' | 'failed';

export type ProjectCounts = {
  /** Paths looked at while walking the folder, skipped ones included. */
  seen: number;
  filesAccepted: number;
  filesSkipped: number;
  filesExtracted: number;
  /** Files whose source did not parse (or whose extraction timed out or crashed). */
  filesFailed: number;
  functions: number;
  /** Functions whose docstring holds doctest examples. */
  withDoctests: number;
  /** Functions whose doctests have been run, whatever the outcome. */
  doctestsRun: number;
  byStatus: Record<FunctionStatus, number>;
};

export type ProjectRow = {
  id: string;
  schemaVersion: number;
  name: string;
  origin: 'drop' | 'picker' | 'zip' | 'import';
  createdAt: number;
  updatedAt: number;
  phase: ProjectPhase;
  /** False when a reload interrupted reading the folder: the stored files are a part of it. */
  ingestComplete: boolean;
  /** Why the run stopped, for phase 'failed', or a warning for a run that went on (e.g. ingest cut short). */
  notice: ProjectNotice | null;
  /** `dedup`: absent on projects made before dedup, which use DEFAULT_DEDUP_SETTINGS (core/dedup/settings.ts). */
  settings: { timeoutMs: number; dedup?: DedupSettings };
  /** Natural mode, or the LLM stages too (with the model and settings they run with). */
  pipeline: PipelineConfig;
  counts: ProjectCounts;
  /** Top-level module names of the folder (its own imports are not third-party). */
  localModules: string[];
  /** What dedup found (its progress while it runs); absent until the project's first dedup. */
  dedup?: DedupSummary;
  startedAt: number;
  finishedAt: number | null;
};

/**
 * What the run has to say about a project, as a code: the UI words it (state/projectText.ts). `legacy` is
 * a message an earlier release stored as text.
 */
export type ProjectNotice =
  /** The browser has no storage space left for this site. */
  | { code: 'storage-quota' }
  | { code: 'storage'; storage: StorageErrorCode; detail: string }
  /** Python could not start or keeps dying in this browser. */
  | { code: 'python-unavailable'; detail: string }
  /** A fault of the app itself. */
  | { code: 'internal'; detail: string }
  /** A reload interrupted reading the folder; the run went on with the files stored by then. */
  | { code: 'ingest-interrupted'; stored: number }
  /** The folder had nothing in it. */
  | { code: 'empty' }
  /** The folder had no Python files to read. */
  | { code: 'no-python'; seen: number; skipped: number }
  /** The LLM stages need an engine and none is ready (after a reload, say): the run waits for one. */
  | { code: 'llm-missing'; model: ModelRef }
  /** The engine that is ready runs another model than the project's. */
  | { code: 'llm-mismatch'; model: ModelRef; ready: ModelRef }
  /** The engine stopped answering (lost GPU, server gone): the run stopped, finished work kept. */
  | { code: 'llm-stopped'; llm: LlmErrorCode; detail: string; action: string }
  | { code: 'legacy'; text: string };

export type FileState = 'pending' | 'extracted' | 'failed';

/** What the function table shows of a function; `id` is unique across projects (see functionId). */
export type FunctionSummary = {
  id: string;
  qualname: string;
  lineno: number;
  endLine: number;
  kind: ExtractedFunction['kind'];
  exampleCount: number;
  /** True when the function can run on its own (no blockers). */
  runnable: boolean;
  status: FunctionStatus;
};

/** A function summary with the file it is in: one row of the function table. */
export type FunctionRow = FunctionSummary & { path: string };

/** A file's metadata, extraction result and function summaries. Its text is in TextRow. */
export type FileRow = {
  projectId: string;
  path: string;
  schemaVersion: number;
  size: number;
  sha256: string;
  state: FileState;
  /** Why extraction failed: the SyntaxError, or a timeout or crash while extracting. */
  error: SyntaxErrorInfo | null;
  /** The extractor's segment table for this file (see ExtractedFunction.program). */
  segments: Segment[] | null;
  /** Modules the file's programs import, with their origin (stdlib, third-party, ...). */
  modules: { name: string; origin: ModuleOrigin }[];
  functions: FunctionSummary[];
};

/**
 * A file's text: written once at ingest and only read afterwards, in a table of its own so that reading
 * the next file to extract never waits behind the writes of extraction results.
 */
export type TextRow = {
  projectId: string;
  path: string;
  sha256: string;
  text: string;
};

/** The full analysis of a file's functions, in the order of FileRow.functions. */
export type SourceRow = {
  projectId: string;
  path: string;
  schemaVersion: number;
  fns: ExtractedFunction[];
  /** Composed standalone programs of the functions that will run (null for the rest). */
  programs: (string | null)[];
};

/** What ingest skipped, a batch at a time (one row per path would cost a write per path). */
export type SkipBatchRow = {
  projectId: string;
  /** The first path of the batch: the row's key, unique within the project. */
  path: string;
  schemaVersion: number;
  entries: SkippedPath[];
};

/** The outcome of a function that ran. */
export type OutcomeRow = {
  id: string;
  projectId: string;
  path: string;
  schemaVersion: number;
  outcome: RunOutcome;
  /** The exact program that was run: the export ships what was verified. */
  program: string;
  /** The Python that ran it, as it reports itself, e.g. "CPython 3.14.2 (Pyodide 314.0.7)". */
  runtime: string;
  durationMs: number;
  finishedAt: number;
};

export function functionId(
  projectId: string,
  path: string,
  fn: Pick<ExtractedFunction, 'lineno' | 'qualname'>,
): string {
  return `${projectId}|${path}|${fn.lineno}|${fn.qualname}`;
}

export function emptyCounts(): ProjectCounts {
  return {
    seen: 0,
    filesAccepted: 0,
    filesSkipped: 0,
    filesExtracted: 0,
    filesFailed: 0,
    functions: 0,
    withDoctests: 0,
    doctestsRun: 0,
    byStatus: {
      passed: 0,
      failed: 0,
      error: 0,
      timeout: 0,
      crashed: 0,
      memory: 0,
      nondeterministic: 0,
      not_runnable: 0,
      no_doctests: 0,
      pending: 0,
    },
  };
}
