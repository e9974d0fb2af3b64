/**
 * A stage's fingerprint names everything that decides its output: its settings, the model, its prompt's
 * version, what of the engine's capabilities shapes its requests, and the fingerprints of the stages it
 * reads. A stored verdict whose fingerprint differs from the current one is stale and is redone; so
 * changing a parameter redoes that stage and the ones after it, and nothing before.
 *
 * A fingerprint follows what a stage's output is made from (instruct reads the program, not the oracle's
 * cases), not the order stages run in: a stage runs only when the ones before it kept the function, which
 * the funnel reads per function (funnel.ts).
 *
 * Fingerprints are the same for every function of a run (they depend on the run's configuration, not on
 * the function), which is also what lets the funnel count current verdicts with one comparison.
 */
import type { LlmCapabilities } from '../../domain/llm.ts';
import { LLM_STAGES, type LlmStage, type ModelRef, type PipelineSettings } from '../../domain/pipeline.ts';
import { keyOf } from '../../lib/hash.ts';
import { INSTRUCT_PROMPT_VERSION } from '../instruct/index.ts';
import { JUDGE_PROMPT_VERSION } from '../judge/index.ts';
import { PROBE_PROMPT_VERSION } from '../probe/index.ts';
import { SOLVE_PROMPT_VERSION } from '../solve/index.ts';

/** Bump when a stage's own logic (not its prompt) changes what it decides. */
export const STAGE_LOGIC_VERSIONS: Record<LlmStage, number> = {
  select: 1,
  probe: 1,
  oracle: 1,
  instruct: 1,
  judge: 1,
  solve: 1,
  verify: 1,
};

export type Fingerprints = Record<LlmStage, string>;

type Caps = Pick<
  LlmCapabilities,
  'logprobs' | 'jsonSchema' | 'maxChoices' | 'continuesAssistant' | 'choicesShareThePrompt'
>;

export function fingerprints(model: ModelRef, settings: PipelineSettings, caps: Caps): Fingerprints {
  const v = STAGE_LOGIC_VERSIONS;
  const seed = settings.seed;
  const select = keyOf('select', v.select);
  // FIX (found by fingerprints.test.ts and llmPipelineResume.test.ts): the probe asks again until
  // max(oracle.minCases, n / 2) inputs are usable (stages/probe.ts), so its output depends on minCases too.
  const probeReads = { ...settings.probe, minCases: settings.oracle.minCases };
  const probe = keyOf('probe', v.probe, select, model, PROBE_PROMPT_VERSION, probeReads, seed, caps.jsonSchema);
  const oracle = keyOf('oracle', v.oracle, probe, settings.oracle);
  const shared = caps.choicesShareThePrompt ? caps.maxChoices : 1;
  const instruct = keyOf('instruct', v.instruct, select, model, INSTRUCT_PROMPT_VERSION, settings.instruct, seed, {
    shared,
    continuesAssistant: caps.continuesAssistant,
  });
  const judgeMode = caps.logprobs ? 'logprobs' : { samples: settings.judge.samples, maxChoices: shared };
  const judge = keyOf(
    'judge',
    v.judge,
    instruct,
    model,
    JUDGE_PROMPT_VERSION,
    settings.judge.threshold,
    judgeMode,
    seed,
  );
  const solve = keyOf(
    'solve',
    v.solve,
    judge,
    model,
    SOLVE_PROMPT_VERSION,
    settings.solve,
    seed,
    caps.continuesAssistant,
  );
  const verify = keyOf('verify', v.verify, solve, oracle);
  const all: Fingerprints = { select, probe, oracle, instruct, judge, solve, verify };
  for (const stage of LLM_STAGES) if (!all[stage]) throw new Error(`no fingerprint for ${stage}`);
  return all;
}
