/**
 * What is stored, one type per table. Rows carry `schemaVersion` so a later release can recognise and
 * repair rows written by this one. Function rows are split in two: `FunctionRow` holds what the table view
 * shows (small, loaded for every function of a project), `SourceRow` the code and analysis (loaded one at a
 * time, for the detail view, the runner and the export).
 */
import type { ExtractedFunction, ModuleOrigin, Segment, SyntaxErrorInfo } from './extract.ts';
import type { SkipReason } from './ingest.ts';
import type { FunctionStatus, RunOutcome } from './verify.ts';

export const SCHEMA_VERSION = 1;

export type ProjectPhase = 'ingesting' | 'extracting' | 'verifying' | 'done' | 'failed';

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
  origin: 'drop' | 'picker' | 'zip';
  createdAt: number;
  updatedAt: number;
  phase: ProjectPhase;
  /** False when a reload interrupted reading the folder: the stored files are a part of it. */
  ingestComplete: boolean;
  /** Why the run stopped, for phase 'failed', or a warning for a run that went on (e.g. ingest cut short). */
  message: string | null;
  settings: { timeoutMs: number };
  counts: ProjectCounts;
  /** Top-level module names of the folder (its own imports are not third-party). */
  localModules: string[];
  startedAt: number;
  finishedAt: number | null;
};

export type FileState = 'pending' | 'extracted' | 'failed';

/**
 * A file's metadata and extraction result. Its text lives in TextRow: written once at ingest and only read
 * afterwards, so reading the next file to extract never waits behind the writes of extraction results.
 */
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
  functionCount: number;
};

export type TextRow = {
  projectId: string;
  path: string;
  sha256: string;
  text: string;
};

export type SkipRow = {
  projectId: string;
  path: string;
  schemaVersion: number;
  isDir: boolean;
  reason: SkipReason;
  detail: string | null;
};

export type FunctionRow = {
  id: string;
  projectId: string;
  schemaVersion: number;
  path: string;
  qualname: string;
  lineno: number;
  endLine: number;
  kind: ExtractedFunction['kind'];
  exampleCount: number;
  /** True when the function can run on its own (no blockers). */
  runnable: boolean;
  status: FunctionStatus;
};

export type SourceRow = {
  id: string;
  projectId: string;
  schemaVersion: number;
  /** sha256 of the file the function came from (provenance in the export). */
  fileSha256: string;
  fn: ExtractedFunction;
  /** The composed standalone program, kept for functions that will be run (see composeProgram). */
  program: string | null;
};

export type OutcomeRow = {
  id: string;
  projectId: string;
  schemaVersion: number;
  outcome: RunOutcome;
  /** The exact program that was run (null when nothing ran): the export ships what was verified. */
  program: string | null;
  durationMs: number;
  finishedAt: number;
};

export function functionId(projectId: string, path: string, fn: Pick<ExtractedFunction, 'lineno' | 'qualname'>): string {
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
      not_runnable: 0,
      no_doctests: 0,
      pending: 0,
    },
  };
}
