import { describe, expect, it } from 'vitest';
import type { LlmCapabilities } from '../../domain/llm.ts';
import {
  DEFAULT_PIPELINE_SETTINGS,
  LLM_STAGES,
  type LlmStage,
  type ModelRef,
  type PipelineSettings,
} from '../../domain/pipeline.ts';
import { fingerprints } from './fingerprints.ts';

const MODEL: ModelRef = { engine: 'openai', id: 'qwen2.5-coder-7b' };
const CAPS: LlmCapabilities = {
  engine: 'openai',
  model: MODEL.id,
  concurrency: 4,
  logprobs: true,
  jsonSchema: true,
  maxChoices: 4,
  choicesShareThePrompt: true,
  continuesAssistant: true,
};

type Change = { model?: Partial<ModelRef>; settings?: (s: PipelineSettings) => void; caps?: Partial<LlmCapabilities> };

/** The stages whose fingerprint differs once `change` is made to `base` (a deep copy is changed). */
function changed(change: Change, base: { caps?: Partial<LlmCapabilities> } = {}): LlmStage[] {
  const caps = { ...CAPS, ...base.caps };
  const before = fingerprints(MODEL, DEFAULT_PIPELINE_SETTINGS, caps);
  const settings = structuredClone(DEFAULT_PIPELINE_SETTINGS);
  change.settings?.(settings);
  const after = fingerprints({ ...MODEL, ...change.model }, settings, { ...caps, ...change.caps });
  return LLM_STAGES.filter((stage) => before[stage] !== after[stage]);
}

const AFTER_PROBE: LlmStage[] = ['probe', 'oracle', 'verify'];
const AFTER_ORACLE: LlmStage[] = ['oracle', 'verify'];
const AFTER_INSTRUCT: LlmStage[] = ['instruct', 'judge', 'solve', 'verify'];
const AFTER_JUDGE: LlmStage[] = ['judge', 'solve', 'verify'];
const AFTER_SOLVE: LlmStage[] = ['solve', 'verify'];
const ALL_BUT_SELECT: LlmStage[] = ['probe', 'oracle', 'instruct', 'judge', 'solve', 'verify'];

describe('fingerprints', () => {
  it('are the same for the same configuration, and distinct per stage', () => {
    const a = fingerprints(MODEL, DEFAULT_PIPELINE_SETTINGS, CAPS);
    const b = fingerprints({ ...MODEL }, structuredClone(DEFAULT_PIPELINE_SETTINGS), { ...CAPS });
    expect(a).toEqual(b);
    expect(new Set(Object.values(a)).size).toBe(LLM_STAGES.length);
  });

  it.each<[string, Change, LlmStage[]]>([
    ['instruct.k', { settings: (s) => void (s.instruct.k = 10) }, AFTER_INSTRUCT],
    ['instruct.temperature', { settings: (s) => void (s.instruct.temperature = 0.2) }, AFTER_INSTRUCT],
    ['instruct.maxTokens', { settings: (s) => void (s.instruct.maxTokens = 2048) }, AFTER_INSTRUCT],
    ['instruct.repetitionPenalty', { settings: (s) => void (s.instruct.repetitionPenalty = 1) }, AFTER_INSTRUCT],
    ['judge.threshold', { settings: (s) => void (s.judge.threshold = 0.8) }, AFTER_JUDGE],
    ['probe.n', { settings: (s) => void (s.probe.n = 16) }, AFTER_PROBE],
    ['probe.retries', { settings: (s) => void (s.probe.retries = 0) }, AFTER_PROBE],
    ['probe.mutations', { settings: (s) => void (s.probe.mutations = 0) }, AFTER_PROBE],
    ['probe.temperature', { settings: (s) => void (s.probe.temperature = 0) }, AFTER_PROBE],
    // The probe asks for more proposals when fewer than oracle.minCases are usable (stages/probe.ts).
    ['oracle.minCases', { settings: (s) => void (s.oracle.minCases = 6) }, AFTER_PROBE],
    ['oracle.maxCases', { settings: (s) => void (s.oracle.maxCases = 20) }, AFTER_ORACLE],
    ['oracle.caseLimitMs', { settings: (s) => void (s.oracle.caseLimitMs = 500) }, AFTER_ORACLE],
    ['oracle.slowFactor', { settings: (s) => void (s.oracle.slowFactor = 5) }, AFTER_ORACLE],
    ['oracle.mutants', { settings: (s) => void (s.oracle.mutants = 0) }, AFTER_ORACLE],
    ['solve.temperature', { settings: (s) => void (s.solve.temperature = 0.5) }, AFTER_SOLVE],
    ['solve.maxTokens', { settings: (s) => void (s.solve.maxTokens = 4096) }, AFTER_SOLVE],
    ['seed', { settings: (s) => void (s.seed = 42) }, ALL_BUT_SELECT],
    ['the model', { model: { id: 'another-model' } }, ALL_BUT_SELECT],
    ['the engine', { model: { engine: 'webllm' } }, ALL_BUT_SELECT],
    ['JSON-schema support', { caps: { jsonSchema: false } }, AFTER_PROBE],
    ['log-probabilities', { caps: { logprobs: false } }, AFTER_JUDGE],
    ['prefill', { caps: { continuesAssistant: false } }, AFTER_INSTRUCT],
    ['completions per request', { caps: { maxChoices: 2 } }, AFTER_INSTRUCT],
    ['the concurrency', { caps: { concurrency: 1 } }, []],
  ])('changing %s redoes exactly the stages that read it', (_name, change, stages) => {
    expect(changed(change)).toEqual(stages);
  });

  it('judge.samples matters only when the judge samples (no log-probabilities)', () => {
    const samples = { settings: (s: PipelineSettings) => void (s.judge.samples = 9) };
    expect(changed(samples)).toEqual([]);
    expect(changed(samples, { caps: { logprobs: false } })).toEqual(AFTER_JUDGE);
  });

  it('n completions matter only when they share their prompt (a server, not web-llm)', () => {
    const one = { caps: { maxChoices: 1 } };
    expect(changed(one, { caps: { choicesShareThePrompt: false } })).toEqual([]);
    expect(changed(one)).toEqual(AFTER_INSTRUCT);
  });
});
