/**
 * The ports the pipeline depends on; adapters/ implements them. Core never imports an adapter.
 */
import type {
  ExtractReply,
  ExtractRequest,
  ExtractedFunction,
  ModuleOrigin,
  Segment,
  SyntaxErrorInfo,
} from '../domain/extract.ts';
import type { SkippedPath } from '../domain/ingest.ts';
import type {
  FileRow,
  FileState,
  FunctionRow,
  FunctionSummary,
  OutcomeRow,
  ProjectRow,
  SourceRow,
  TextRow,
} from '../domain/records.ts';
import type {
  CachedModel,
  CatalogModel,
  ChatOptions,
  EngineChoice,
  ChatRequest,
  ChatResult,
  GpuReport,
  LlmCapabilities,
  LlmErrorCode,
  LoadProgress,
  StorageReport,
} from '../domain/llm.ts';
import type { CallJob, CallResult } from '../domain/run.ts';
import type {
  EntryInfo,
  LlmCallRow,
  Mutant,
  MutantRuns,
  MutantsJob,
  LlmStage,
  PipelineSettings,
  StageDataRow,
  StageOutput,
  StageRow,
} from '../domain/pipeline.ts';
import type { CasesJob, CasesResult, MutateJob, MutateResult } from '../domain/cases.ts';
import type { FindingsRow, ImportedRow, LicenseRow } from '../domain/dataset.ts';
import type { FailedFile, FileCode, FunctionDetail, UnreadableRow } from '../domain/views.ts';
import type { DedupRow, NormaliseJob, NormaliseReply } from '../domain/dataset.ts';
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
  /** Forget earlier failures, so the next call starts workers again (the user asked to retry). */
  retry(): void;
  extract(request: ExtractRequest, signal?: AbortSignal): Promise<ExtractReply>;
  runDoctest(job: DoctestJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome>;
  runTests(job: TestsJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome>;
  /** Run a program, then an expression: its canonical value, output, or what went wrong. */
  runCall(job: CallJob, limitMs: number, signal?: AbortSignal): Promise<CallResult>;
  /**
   * Run a program once, then its entry point on each argument set: per case its canonical value or
   * exception, output, the arguments it changed, optionally the lines it ran and a Python test for it.
   * `limitMs` is for the whole batch: a case that runs past it makes the batch `timeout`.
   */
  runCases(job: CasesJob, limitMs: number, signal?: AbortSignal): Promise<CasesResult>;
  /** New argument sets from given ones by type-aware mutation (runs no code of the program). */
  mutateCases(job: MutateJob, signal?: AbortSignal): Promise<MutateResult>;
  /** What kind of callable a program's entry point is, read from the source (nothing runs). */
  describeEntry(program: string, entryPoint: string, signal?: AbortSignal): Promise<EntryInfo>;
  /**
   * The oldest Python of 3.8–3.14 whose grammar accepts every source, each compiled on its own (a sample's
   * response and each of its tests), e.g. "3.12"; null when none does (nothing runs). Rejects when Python
   * does not answer.
   */
  pythonVersion(sources: readonly string[], signal?: AbortSignal): Promise<string | null>;
  /** Per function of one file (by `def` line): its normalised AST's hash and its tokens, for dedup (nothing runs). */
  normalise(job: NormaliseJob, signal?: AbortSignal): Promise<NormaliseReply>;
  /**
   * Up to `limit` copies of the program with one small change each in the entry function (an operator, a
   * constant, a condition): the oracle keeps the cases that tell them apart from the original.
   */
  mutants(program: string, entryPoint: string, limit: number, signal?: AbortSignal): Promise<Mutant[]>;
  /** Mutants on the same cases, each case within `job.budgetMs`; `limitMs` bounds the whole call. */
  runMutants(job: MutantsJob, limitMs: number, signal?: AbortSignal): Promise<MutantRuns>;
  /** The Python that runs the code, as it reports itself, e.g. "CPython 3.14.2 (Pyodide 314.0.7)". */
  runtime(signal?: AbortSignal): Promise<string>;
  dispose(): void;
}

/** One file's extraction, written in one transaction. */
export type FileExtraction = {
  path: string;
  state: FileState;
  error: SyntaxErrorInfo | null;
  segments: Segment[] | null;
  modules: { name: string; origin: ModuleOrigin }[];
  functions: FunctionSummary[];
  source: SourceRow | null;
};

/** A function waiting to run: where to find it (index into its file's functions). */
export type PendingFunction = { id: string; path: string; index: number };

/** A function the LLM pipeline accepted, with what its sample is made of. */
export type LlmExportItem = {
  path: string;
  summary: FunctionSummary;
  fn: ExtractedFunction;
  fileSha256: string;
  /** The original standalone program (imports, helpers, the function): what the tests also passed on. */
  program: string;
  select: OutputOf<'select'>;
  oracle: OutputOf<'oracle'>;
  judge: OutputOf<'judge'>;
  solve: OutputOf<'solve'>;
  verify: OutputOf<'verify'>;
};

type OutputOf<S extends StageOutput['stage']> = Extract<StageOutput, { stage: S }>;

/** A stage verdict without its output. */
export type StageVerdict = Pick<
  StageRow,
  'functionId' | 'path' | 'stage' | 'fingerprint' | 'status' | 'reason' | 'tokens'
>;

/** A verified function with everything the export needs. */
export type ExportItem = {
  path: string;
  summary: FunctionSummary;
  fn: ExtractedFunction;
  fileSha256: string;
  outcome: OutcomeRow;
};

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

  saveIngestBatch(
    projectId: string,
    files: { row: FileRow; text: TextRow }[],
    skips: SkippedPath[],
    seen: number,
  ): Promise<void>;
  pendingFiles(projectId: string): Promise<string[]>;
  filePaths(projectId: string): Promise<string[]>;
  /** A file's text (and hash), from a table that extraction never writes to. */
  fileText(projectId: string, path: string): Promise<TextRow | undefined>;
  saveExtractions(projectId: string, results: FileExtraction[]): Promise<void>;

  /** Functions still to run, in file order. */
  pendingFunctions(projectId: string): Promise<PendingFunction[]>;
  fileSource(projectId: string, path: string): Promise<SourceRow | undefined>;
  saveOutcomes(projectId: string, outcomes: OutcomeRow[]): Promise<void>;

  /** A file's text and segment table (to compose any of its functions' programs). */
  fileCode(projectId: string, path: string): Promise<FileCode | null>;
  /** The doctest outcome of one function, if it ran. */
  outcome(functionId: string): Promise<OutcomeRow | undefined>;

  // The LLM pipeline (domain/pipeline.ts). One row per function and stage; the LLM's answers by request.
  /** Every function of the project's extracted files, in file order. */
  pipelineFunctions(projectId: string): Promise<PendingFunction[]>;
  /** The stage verdicts stored for one function (any fingerprint). */
  stageRows(functionId: string): Promise<StageRow[]>;
  stageData(ids: readonly string[]): Promise<(StageDataRow | undefined)[]>;
  /** A stage's verdict and output, replacing any earlier one of that function and stage. */
  saveStage(row: StageRow, data: StageDataRow | null): Promise<void>;
  llmCall(key: string): Promise<LlmCallRow | undefined>;
  saveLlmCall(row: LlmCallRow): Promise<void>;
  /** Every stage verdict of a project, without outputs: what the funnel counts. */
  stageVerdicts(projectId: string): Promise<StageVerdict[]>;

  // Dedup (core/dedup): rows of the functions in a cluster of two or more (domain/dataset.ts).
  /** Every dedup row of a project. */
  dedupRows(projectId: string): Promise<DedupRow[]>;
  /**
   * One batch of the dedup phase's result, in one transaction: `remove` (function ids) are deleted, `put`
   * replace their earlier rows, and a function whose representative changed (it became a copy, stopped
   * being one, or copies another function now) loses its `select` verdict, which read the old one.
   */
  saveDedup(projectId: string, put: readonly DedupRow[], remove: readonly string[]): Promise<void>;

  /**
   * Verified functions of up to `files` files after `afterPath` (keyset paging, no offsets), and the last
   * path looked at (null when there are no more files). Copies of another function (dedup rows with a
   * `duplicateOf`) are left out of `items` and counted in `duplicates`.
   */
  passedPage(
    projectId: string,
    afterPath: string | null,
    files: number,
  ): Promise<{ items: ExportItem[]; lastPath: string | null; paths: string[]; duplicates: number }>;
  /**
   * The functions of these files that the LLM pipeline accepted under these fingerprints (a verify verdict
   * "kept" whose fingerprint is the current one), in file order.
   */
  acceptedIn(
    projectId: string,
    paths: readonly string[],
    fingerprints: Record<LlmStage, string>,
  ): Promise<LlmExportItem[]>;

  // Imported lines (core/import): a JSONL exported earlier, kept line by line as it was (ImportedRow).
  /**
   * For the export (and, through its sample stream, dedup and the screens): up to `count` imported lines
   * of a project after the key `after` (exclusive; null: from the first), in key order, i.e. ordered by
   * the record's `id` (`key` is `${projectId}|${id}`). `last` is the key to pass as `after` for the next
   * page, or null when this page reached the end (no need to ask again). `row.record` is the line as it
   * was validated and stored: `JSON.stringify(row.record)` writes the line back; `row.record.method` says
   * whether it is a natural ('natural-doctest') or an LLM ('inverse-semi') sample. Rows are checked when
   * read (core/import/parseLine.ts's schema): an unreadable one is reported and left out, so a page can
   * hold fewer than `count` rows while `last` is not null.
   */
  importedPage(
    projectId: string,
    after: string | null,
    count: number,
  ): Promise<{ rows: ImportedRow[]; last: string | null }>;
  /** The imported rows stored under these keys (undefined where there is none): duplicate checks. */
  importedRows(keys: readonly string[]): Promise<(ImportedRow | undefined)[]>;
  /**
   * Store an import in ONE transaction, so that it is there entirely or not at all: `batches` is pulled
   * while the transaction is open (the file is read inside it, never held whole in memory); `admit` gets
   * each batch with what is stored under its keys (rows of earlier batches included) and returns the rows
   * to write, or throws to abort. `project`, for an import into a new project, is added by the same
   * transaction. What `batches` or `admit` throw comes back unchanged (an AbortError stays one); storage
   * failures come back as StorageError, and leave nothing stored.
   */
  saveImport(
    projectId: string,
    batches: AsyncIterable<ImportedRow[]>,
    admit: (rows: ImportedRow[], stored: (ImportedRow | undefined)[]) => ImportedRow[],
    project: ProjectRow | null,
  ): Promise<void>;

  // The dataset's licences and screenings (core/ingest/licenses.ts, core/screen/screenStage.ts).
  /** Licences found at ingest (licence files, SPDX headers), replacing rows of the same path. */
  saveLicenses(rows: readonly LicenseRow[]): Promise<void>;
  /** Every licence row of a project, in path order. */
  licenses(projectId: string): Promise<LicenseRow[]>;
  /** The stored screenings of these samples (undefined where none), in the order asked. */
  findings(projectId: string, sampleIds: readonly string[]): Promise<(FindingsRow | undefined)[]>;
  /** Screenings, replacing earlier ones of the same samples. */
  saveFindings(rows: readonly FindingsRow[]): Promise<void>;
  /** Delete the screenings of samples not in `keep` (samples that left the dataset); how many went. */
  pruneFindings(projectId: string, keep: ReadonlySet<string>): Promise<number>;
}

/**
 * One LLM, ready to answer. Failures throw LlmError (domain/llm.ts) with a code; cancelling through the
 * signal rejects with an AbortError. An engine that serves one request at a time queues the others.
 */
export interface LlmClient {
  readonly capabilities: LlmCapabilities;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResult>;
  dispose(): Promise<void>;
}

/**
 * The in-browser engine (web-llm on WebGPU): checks the GPU, loads catalog models into an LlmClient and
 * manages the weights it keeps in the browser's storage.
 */
export interface ModelHost {
  readonly catalog: readonly CatalogModel[];
  /** The catalog family picked when the user first chooses the in-browser engine. */
  readonly defaultFamily: string;
  /** Inspect WebGPU without loading anything; says why a model cannot load here, or which quantization to use. */
  probe(): Promise<GpuReport>;
  /**
   * Whether a model is likely to fit this GPU's memory (WebGPU does not tell how much it has, so this is a
   * guess from what the page can see): a warning, or null when nothing speaks against it.
   */
  fit(modelId: string, gpu: GpuReport): { code: LlmErrorCode; message: string; action: string } | null;
  /** Download (or find in the cache) and load one model; rejects with LlmError. */
  load(modelId: string, onProgress: (progress: LoadProgress) => void, signal?: AbortSignal): Promise<LlmClient>;
  cached(): Promise<CachedModel[]>;
  remove(modelId: string): Promise<void>;
  storage(): Promise<StorageReport>;
  /** Ask the browser to keep the weights even under storage pressure; true when granted. */
  persist(): Promise<boolean>;
}

/** Where an OpenAI-compatible server is and how to talk to it (kept in IndexedDB only, key included). */
export type ServerSettings = { baseUrl: string; apiKey: string; model: string; concurrency: number };

/** Connect to an OpenAI-compatible server: list its models, then check a model and its logprobs support. */
export interface ServerConnector {
  models(server: Pick<ServerSettings, 'baseUrl' | 'apiKey'>, signal?: AbortSignal): Promise<string[]>;
  connect(settings: ServerSettings, signal?: AbortSignal): Promise<LlmClient>;
}

/**
 * Values that change over time: the current one at once, then one per change that touches what was read
 * (Dexie's liveQuery has this shape). `error` is called instead when reading fails (a StorageError).
 */
export interface Live<T> {
  subscribe(observer: { next: (value: T) => void; error?: (error: unknown) => void }): { unsubscribe(): void };
}

/**
 * What the UI reads. Live reads re-emit when a write touches them; the big lists are read on demand and
 * refreshed at the caller's pace. Rows that cannot be read are left out and reported through `unreadable`.
 * Failures are StorageError.
 */
export interface ReadPort {
  projects(): Live<ProjectRow[]>;
  /** Every function of a project, as table rows. */
  functionRows(projectId: string): Promise<FunctionRow[]>;
  skipped(projectId: string): Promise<SkippedPath[]>;
  failedFiles(projectId: string): Promise<FailedFile[]>;
  detail(projectId: string, row: FunctionRow): Live<FunctionDetail>;
  fileCode(projectId: string, path: string): Promise<FileCode | null>;
  /** What the funnel counts: every function of the project's extracted files, and every stage verdict. */
  pipelineVerdicts(projectId: string): Promise<{ functions: string[]; verdicts: StageVerdict[] }>;
  /** One function's LLM pipeline record: its stage verdicts, their outputs, and every LLM exchange. */
  pipelineDetail(functionId: string): Promise<{ stages: StageRow[]; data: StageDataRow[]; calls: LlmCallRow[] }>;
  /** The project's dedup rows (functions in a cluster of two or more): the Duplicates view. */
  dedupRows(projectId: string): Promise<DedupRow[]>;
  /** Stored rows that failed their check when read, since the page loaded. */
  unreadable(): Live<UnreadableRow[]>;
  /** How many imported lines a project holds (core/import). */
  importedCount(projectId: string): Promise<number>;
  /** The screenings that found something (the Findings view), in sample-id order. */
  findingsWithMatches(projectId: string): Promise<FindingsRow[]>;
  /** How many samples have a stored screening (any, found something or not). */
  screenedCount(projectId: string): Promise<number>;
  /** Screened samples per oldest Python that parses them ("none": no version from 3.8 to 3.14 does). */
  pythonVersionCounts(projectId: string): Promise<Record<string, number>>;
}

/** The user's settings (IndexedDB). */
export interface SettingsPort {
  /** The engine chosen last time; null when none was stored or the stored one is not valid any more. */
  engineChoice(): Promise<EngineChoice | null>;
  saveEngineChoice(choice: EngineChoice): Promise<void>;
  /** The LLM stages' settings chosen last time; null when none were stored or they are not valid any more. */
  pipelineSettings(): Promise<PipelineSettings | null>;
  savePipelineSettings(settings: PipelineSettings): Promise<void>;
}
