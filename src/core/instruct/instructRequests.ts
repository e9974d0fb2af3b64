/**
 * Requests for K candidate instructions for one function (Inverse-Instruct).
 *
 * Invariants:
 * - Deterministic: the same code, entry point, settings and capabilities give the same requests (openers
 *   and per-request seeds come from a PRNG seeded with the settings seed and the entry point).
 * - The counts of the returned requests add up to `settings.k`; each count is at most `caps.maxChoices`.
 * - Requests differ in opener or seed, so no two identical prompts are sampled with the same seed.
 *
 * Openers: the paper draws one per sample. Several completions in one request (`n`) share their prompt, so
 * here a function gets ceil(k / maxChoices) openers, drawn from a seeded shuffle of the list (cycled when
 * there are more requests than openers). Within a request, temperature 0.8 supplies the variety; across
 * the dataset every opener keeps turning up, which is what the openers are for (only the best candidate of
 * a function is kept, so the mix that reaches training is the mix across functions).
 */
import type { ChatRequest } from '../../domain/llm.ts';
import type { StageCaps } from '../llmText/caps.ts';
import { hashString, randomIndex, requestSeed, seededRandom } from '../llmText/prng.ts';
import { INSTRUCT_OPENER_WORDS, INSTRUCT_STOP, instructSystem, instructUser, openerText } from './instructPrompt.ts';

export type InstructSettings = {
  /** Candidates per function. */
  k: number;
  temperature: number;
  maxTokens: number;
  repetitionPenalty: number;
  seed: number;
};

/**
 * The paper's sampling (temperature 0.8, repetition penalty 1.1) with fewer candidates and tokens: K 5
 * instead of 10 because the browser GPU decodes one candidate at a time and the paper keeps only the top 1
 * anyway; 1,024 tokens instead of 2,048 because the stop at "```" ends a well-behaved description within a
 * few hundred tokens, so the budget matters only for the rambling ones, which at 20–60 tokens/s on a
 * browser GPU cost up to a minute each at 2,048. 1,024 still leaves room for a long specification with
 * examples; one that needs more is a restatement that parseCandidate would drop.
 */
export const INSTRUCT_DEFAULTS: Readonly<InstructSettings> = {
  k: 5,
  temperature: 0.8,
  maxTokens: 1024,
  repetitionPenalty: 1.1,
  seed: 0,
};

export type InstructInput = {
  /** The standalone program: imports, helpers, then the function (or its class). */
  code: string;
  /** `name`, or `Cls.name` for a method. */
  entryPoint: string;
};

export type InstructRequest = {
  request: ChatRequest;
  /** "Write a Python function": pass it to parseCandidate with each reply of this request. */
  opener: string;
  /** Completions this request asks for (its `n`, 1 when absent). */
  count: number;
  /** The opener is the start of the assistant turn: replies hold only what follows it. */
  prefilled: boolean;
};

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function instructRequests(
  input: InstructInput,
  settings: InstructSettings,
  caps: Pick<StageCaps, 'maxChoices' | 'continuesAssistant'>,
): InstructRequest[] {
  const k = Math.max(0, Math.floor(settings.k));
  if (k === 0) return [];
  const perRequest = Math.max(1, Math.min(Math.floor(caps.maxChoices), k));
  const requests = Math.ceil(k / perRequest);
  const random = seededRandom(hashString('instruct', settings.seed, input.entryPoint));
  const words = shuffled(INSTRUCT_OPENER_WORDS, random);
  const system = instructSystem();
  const prefilled = caps.continuesAssistant;

  return Array.from({ length: requests }, (_, i) => {
    const opener = openerText(words[i % words.length]!, input.entryPoint);
    const count = Math.floor(k / requests) + (i < k % requests ? 1 : 0);
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: instructUser(input.code, input.entryPoint, prefilled ? null : opener) },
        ...(prefilled ? [{ role: 'assistant' as const, content: opener }] : []),
      ],
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
      repetitionPenalty: settings.repetitionPenalty,
      stop: [...INSTRUCT_STOP],
      seed: requestSeed(random),
      ...(count > 1 ? { n: count } : {}),
    };
    return { request, opener, count, prefilled };
  });
}
