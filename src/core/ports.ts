/**
 * The ports the pipeline depends on; adapters/ implements them. Core never imports an adapter.
 */
import type { ExtractReply, ExtractRequest, ModuleOrigin, Segment, SyntaxErrorInfo } from '../domain/extract.ts';
import type { FileRow, FileState, FunctionRow, OutcomeRow, ProjectRow, SkipRow, SourceRow, TextRow } from '../domain/records.ts';
import type { DoctestJob, RunOutcome, TestsJob } from '../domain/verify.ts';

/**
 * Runs Python somewhere the app's data is out of reach. Every call settles: runaway code becomes a
 * `timeout` outcome, a dead worker a `crashed` one. Cancelling through the signal rejects with an
 * AbortError (a cancellation is not an outcome).
 */
export interface PythonPort {
  /** How many calls can run at once: the orchestrator keeps this many in flight. */
  readonly size: number;
  /**
   * Set when Python cannot run here at all (its files failed to load, workers keep dying): the reason.
   * Calls still settle (as `crashed`), but a stage should stop rather than record that for every item.
   */
  readonly unavailable: string | null;
  extract(request: ExtractRequest, signal?: AbortSignal): Promise<ExtractReply>;
  runDoctest(job: DoctestJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome>;
  runTests(job: TestsJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome>;
  dispose(): void;
}

/** One file's extraction, written in one transaction with its functions. */
export type FileExtraction = {
  path: string;
  state: FileState;
  error: SyntaxErrorInfo | null;
  segments: Segment[] | null;
  modules: { name: string; origin: ModuleOrigin }[];
  functions: { row: FunctionRow; source: SourceRow; outcome: OutcomeRow | null }[];
};

export type ExportItem = { row: FunctionRow; source: SourceRow; outcome: OutcomeRow };

/**
 * Everything the pipeline stores. Writes that belong together (a file and its functions, a batch of
 * outcomes and the project's counters) happen in one transaction, so a reload never sees half of them,
 * and every write is idempotent, so resuming after a reload never duplicates a row or a count.
 * Failures are thrown as StorageError (see domain/errors.ts), e.g. code 'quota'.
 */
export interface StoragePort {
  createProject(project: ProjectRow): Promise<void>;
  project(id: string): Promise<ProjectRow | undefined>;
  latestProject(): Promise<ProjectRow | undefined>;
  updateProject(id: string, patch: Partial<Omit<ProjectRow, 'id' | 'counts'>>): Promise<void>;
  deleteProject(id: string): Promise<void>;

  saveIngestBatch(projectId: string, files: { row: FileRow; text: TextRow }[], skips: SkipRow[], seen: number): Promise<void>;
  pendingFiles(projectId: string): Promise<string[]>;
  filePaths(projectId: string): Promise<string[]>;
  /** A file's text (and hash), from a table that extraction never writes to. */
  fileText(projectId: string, path: string): Promise<TextRow | undefined>;
  saveExtractions(projectId: string, results: FileExtraction[]): Promise<void>;

  pendingFunctions(projectId: string): Promise<string[]>;
  source(id: string): Promise<SourceRow | undefined>;
  saveOutcomes(projectId: string, outcomes: OutcomeRow[]): Promise<void>;

  /** Passed functions in key order, `limit` at a time after `afterId` (keyset paging, no offsets). */
  passedPage(projectId: string, afterId: string | null, limit: number): Promise<ExportItem[]>;
}
