/**
 * What every LLM-pipeline stage is given and gives back. A stage is a function of one function's input and
 * the outputs of the stages before it; it never writes (runFunction stores its result) and never throws for
 * what the code or the model did (that is a verdict with a reason); it throws only for a cancellation, a
 * fault of the app, Python that cannot run (PythonUnavailableError) or an engine that stopped (EngineStopped).
 */
import type { ExtractedFunction } from '../../domain/extract.ts';
import type { DropReason, LlmStage, PipelineSettings, StageOutput } from '../../domain/pipeline.ts';
import type { OutcomeRow } from '../../domain/records.ts';
import type { PythonPort } from '../ports.ts';
import type { LlmRunner } from './llmRunner.ts';

export type FunctionInput = {
  projectId: string;
  functionId: string;
  path: string;
  fn: ExtractedFunction;
  /** The standalone program (imports, helpers, the function or its class); null when it cannot run alone. */
  program: string | null;
  /** The function's doctest run, when it had one: its passing examples become extra tests. */
  doctest: OutcomeRow | undefined;
  /** Set when dedup (core/dedup) found it a copy of another function: the one kept, and how it matched. */
  duplicate?: { qualname: string; path: string; kind: 'exact' | 'near'; similarity: number };
};

export type StageDeps = {
  python: PythonPort;
  /** Python started with another hash seed: the second run of every check. */
  recheck: PythonPort;
  llm: LlmRunner;
  settings: PipelineSettings;
  /** The Python that runs the checks, as it reports itself (named on every exported sample). */
  runtime: string;
  signal?: AbortSignal;
};

export type OutputOf<S extends LlmStage> = Extract<StageOutput, { stage: S }>;

/** The outputs of the stages before this one (those that kept the function). */
export type Earlier = { [S in LlmStage]?: OutputOf<S> };

export type StageResult = {
  status: 'kept' | 'dropped';
  reason: DropReason | null;
  detail: string;
  output: StageOutput | null;
  tokens: number;
};

export type Stage = (input: FunctionInput, earlier: Earlier, deps: StageDeps) => Promise<StageResult>;

export function kept(output: StageOutput, tokens = 0, detail = ''): StageResult {
  return { status: 'kept', reason: null, detail, output, tokens };
}

export function dropped(
  reason: DropReason,
  detail: string,
  output: StageOutput | null = null,
  tokens = 0,
): StageResult {
  return { status: 'dropped', reason, detail, output, tokens };
}

/** An earlier stage's output that this stage cannot run without (runFunction guarantees it). */
export function need<S extends LlmStage>(earlier: Earlier, stage: S): OutputOf<S> {
  const output = earlier[stage];
  if (!output) throw new Error(`the ${stage} stage's output is missing`);
  return output as OutputOf<S>;
}
