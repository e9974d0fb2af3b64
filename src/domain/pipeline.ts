/**
 * The LLM pipeline (Inverse-Instruct + Semi-Instruct): the stages a function goes through after extraction,
 * their settings, what each stores, and why a function is dropped. Plain data: stored in IndexedDB, shown
 * by the UI, exported.
 *
 * Stages run in this order for each function. Cheap and GPU-free verdicts come first so no GPU time goes
 * to a function whose tests cannot be built: select (Python reads the entry point), probe (1 LLM call) and
 * oracle (Python runs the original) before instruct (K candidates) and judge (K calls), then solve and
 * verify.
 */
import type { CaseArgs, CasesResult } from './cases.ts';
import type { Canon } from './run.ts';

export const LLM_STAGES = ['select', 'probe', 'oracle', 'instruct', 'judge', 'solve', 'verify'] as const;
export type LlmStage = (typeof LLM_STAGES)[number];

export const STAGE_LABELS: Record<LlmStage, string> = {
  select: 'Select',
  probe: 'Probe inputs',
  oracle: 'Oracle',
  instruct: 'Instruct',
  judge: 'Judge',
  solve: 'Solve',
  verify: 'Verify',
};

export type PipelineSettings = {
  instruct: { k: number; temperature: number; maxTokens: number; repetitionPenalty: number };
  /** `samples`: answers sampled per candidate when the engine gives no log-probabilities. */
  judge: { threshold: number; samples: number };
  /** `n` proposals per LLM call; up to `retries` more calls when too few are usable; `mutations` grown without the GPU. */
  probe: { n: number; retries: number; mutations: number; temperature: number };
  /**
   * `limitMs`: a batch of runs of the original; a case is kept when it ran within `slowFactor` × the
   * median case (and at most `caseLimitMs`). At most `maxCases` are kept (set cover on line coverage), at
   * least `minCases` are needed. `mutants`: small changes to the function that the kept cases should
   * catch (set cover over lines and mutants, as EvalPlus reduces its suites); 0 covers lines only.
   */
  oracle: { maxCases: number; minCases: number; caseLimitMs: number; slowFactor: number; mutants: number };
  solve: { temperature: number; maxTokens: number };
  /** Seeds every sampled request, so a run can be repeated. */
  seed: number;
};

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  instruct: { k: 5, temperature: 0.8, maxTokens: 1024, repetitionPenalty: 1.1 },
  judge: { threshold: 0.5, samples: 5 },
  probe: { n: 8, retries: 2, mutations: 40, temperature: 0.7 },
  oracle: { maxCases: 10, minCases: 3, caseLimitMs: 2000, slowFactor: 20, mutants: 24 },
  solve: { temperature: 0, maxTokens: 1024 },
  seed: 0,
};

/** The model a stage ran with: its output belongs to it (part of the fingerprint). */
export type ModelRef = { engine: 'webllm' | 'openai'; id: string };

/** How a project is run: natural mode (doctests only) or with the LLM stages too. */
export type PipelineConfig =
  | { mode: 'natural' }
  | {
      mode: 'llm';
      model: ModelRef;
      settings: PipelineSettings;
      /** Of the last run with this configuration (the engine's capabilities are part of them): what the funnel counts. */
      fingerprints: Record<LlmStage, string> | null;
    };

/** Why a function left the pipeline at a stage. */
export const DROP_REASONS = {
  // select
  'not-standalone': 'cannot run on its own (third-party or project import, nested, …)',
  'needs-instance': 'a method that needs an instance',
  'no-arguments': 'takes no arguments',
  generator: 'a generator',
  async: 'an async function',
  property: 'a property',
  io: 'reads or writes files, the network or processes',
  'no-entry': 'its entry point was not found in its program',
  duplicate: 'a copy of another function (same code up to names and formatting, or near it): that one is kept',
  // probe
  'no-inputs': 'no usable test inputs were proposed',
  // oracle
  'program-fails': 'its program fails before the function is called',
  'too-few-cases': 'fewer usable test cases than needed',
  // instruct
  'no-instruction': 'every candidate instruction was dropped',
  // judge
  'below-threshold': 'the best instruction scored under the threshold',
  'no-score': 'no candidate could be scored',
  // solve
  'no-solution': 'no usable solution in the reply',
  // verify
  'fails-cases': 'the solution failed some test cases',
  'tests-fail': 'the exported tests did not pass again',
  // any LLM stage
  'llm-refused': 'the engine refused the request',
} as const;
export type DropReason = keyof typeof DROP_REASONS;

/** One stage's verdict on one function; its output is in StageDataRow (same id). */
export type StageRow = {
  /** `${functionId}#${stage}` */
  id: string;
  projectId: string;
  functionId: string;
  path: string;
  stage: LlmStage;
  schemaVersion: number;
  /** Of the settings, model and prompt that made it: a row with another fingerprint is stale. */
  fingerprint: string;
  status: 'kept' | 'dropped';
  reason: DropReason | null;
  /** Words for the person: why, what went wrong. */
  detail: string;
  /** LLM tokens this stage spent on this function (prompt + completion), cached replies counted once. */
  tokens: number;
  ms: number;
  finishedAt: number;
};

export type Candidate = {
  text: string;
  opener: string;
  /** Null when kept; else why it was dropped. */
  dropped: { reason: string; detail: string } | null;
  /** P(Yes) of the judge, when judged. */
  score: number | null;
  /** True when the score comes from sampled answers (the engine gave no log-probabilities). */
  estimated: boolean;
  /** The side missing from the judge's top log-probabilities, if any. */
  missing: 'yes' | 'no' | null;
};

/** A test case the oracle kept: the original's behaviour on one argument set. */
export type OracleCase = {
  args: CaseArgs;
  /** What the original did, compared with what a solution does (outside the worker). */
  expect:
    { kind: 'ok'; value: Canon; stdout: string; argsAfter: (Canon | null)[] } | { kind: 'exception'; type: string };
  /** The case as a Python statement (null when it has no faithful one: then it is not exported). */
  test: string | null;
  lines: number[];
  ms: number;
};

export type StageOutput =
  | {
      stage: 'select';
      entryPoint: string;
      kind: string;
      params: { names: string[]; required: number; max: number | null };
      signature: string;
    }
  | {
      stage: 'probe';
      /** Argument sets the LLM proposed that parsed, then those grown by mutation. */
      proposed: CaseArgs[];
      mutated: CaseArgs[];
      dropped: { reason: string; detail: string }[];
    }
  | {
      stage: 'oracle';
      cases: OracleCase[];
      /** The helper statement some tests call (the float comparator), run before them. */
      helper: string | null;
      executable: number[] | null;
      coverage: number | null;
      /** Mutants made, those any usable case catches, and those the kept cases catch. */
      mutants: { total: number; catchable: number; caught: number };
      /** What became of every input: kept, or why not (counts). */
      tally: Record<string, number>;
    }
  | { stage: 'instruct'; candidates: Candidate[] }
  | { stage: 'judge'; candidates: Candidate[]; chosen: number | null }
  | { stage: 'solve'; code: string | null; reply: string }
  | {
      stage: 'verify';
      passed: number;
      total: number;
      /** Doctest examples of the function that the solution also had to pass. */
      doctests: number;
      failures: { args: CaseArgs | null; expected: string; got: string }[];
      /** The tests exported with the sample: they passed after the solution and after the original. */
      tests: string[];
      /** The Python that ran them, as it reports itself. */
      runtime: string;
    };

export type StageDataRow = { id: string; projectId: string; schemaVersion: number; output: StageOutput };

/** One request to the LLM and its answer, kept for the sample inspector (and as a cache on resume). */
export type LlmCallRow = {
  /** Hash of project, model and request: the same request is answered from here the second time. */
  key: string;
  projectId: string;
  functionId: string;
  stage: LlmStage;
  schemaVersion: number;
  request: unknown;
  /** The ChatResult, without per-token log-probabilities beyond the first token (kept small). */
  result: unknown;
  ms: number;
  at: number;
};

/** The funnel: for each stage, how many functions came in, were kept, were dropped (by reason), wait. */
export type FunnelRow = {
  stage: LlmStage;
  in: number;
  kept: number;
  dropped: Partial<Record<DropReason, number>>;
  pending: number;
  tokens: number;
};

/** What kind of callable an entry point is, read from its program's source (nothing run). */
export type EntryInfo =
  | { found: false; detail: string }
  | {
      found: true;
      kind: 'function' | 'staticmethod' | 'classmethod' | 'method' | 'property';
      isAsync: boolean;
      generator: boolean;
      /** What a caller passes (self and cls left out); `max` null with *args. */
      params: { names: string[]; required: number; max: number | null; varargs: boolean; varkw: boolean };
      decorators: string[];
    };

/** The program with one small change in its entry function (semiverse_mutants.py): `kind` names the operator. */
export type Mutant = { program: string; line: number; kind: string };

/** The range a numeric setting may take: stored values outside it are clamped, the settings form offers it. */
export type SettingBound = { min: number; max: number; integer: boolean };

type Bounds<T> = { [K in keyof T]: T[K] extends number ? SettingBound : Bounds<T[K]> };

/**
 * Bounds of every pipeline setting. Wide enough for any sensible run, narrow enough that a typo (K = 500,
 * a temperature of 80) cannot start a run that burns hours of GPU time or never returns.
 */
export const PIPELINE_SETTING_BOUNDS: Bounds<PipelineSettings> = {
  instruct: {
    k: { min: 1, max: 20, integer: true },
    temperature: { min: 0, max: 2, integer: false },
    maxTokens: { min: 16, max: 8192, integer: true },
    repetitionPenalty: { min: 1, max: 2, integer: false },
  },
  judge: { threshold: { min: 0, max: 1, integer: false }, samples: { min: 1, max: 20, integer: true } },
  probe: {
    n: { min: 1, max: 32, integer: true },
    retries: { min: 0, max: 5, integer: true },
    mutations: { min: 0, max: 200, integer: true },
    temperature: { min: 0, max: 2, integer: false },
  },
  oracle: {
    maxCases: { min: 1, max: 50, integer: true },
    minCases: { min: 1, max: 50, integer: true },
    caseLimitMs: { min: 100, max: 60_000, integer: true },
    slowFactor: { min: 1, max: 1000, integer: false },
    mutants: { min: 0, max: 200, integer: true },
  },
  solve: { temperature: { min: 0, max: 2, integer: false }, maxTokens: { min: 16, max: 8192, integer: true } },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
};

/** Mutants run on the cases the oracle kept, each case within its own budget (a mutant may loop forever). */
export type MutantsJob = { programs: string[]; entryPoint: string; cases: CaseArgs[]; seed?: number; budgetMs: number };

/** Per mutant, its outcomes (a case past its budget raised `MutantDeadline`); the whole call's timeout or crash. */
export type MutantRuns =
  { kind: 'ran'; runs: CasesResult[] } | { kind: 'timeout'; limitMs: number } | { kind: 'crashed'; detail: string };
