/**
 * Requests for InverseCoder's self-evaluation: "is this code a correct answer to this problem?".
 *
 * With log-probabilities (the paper's way): one greedy request, 5 tokens, the top 5 alternatives of each;
 * scoreFromLogprobs reads P(Yes) off the first token. Without them: judgeSampleRequests samples a short
 * answer several times at temperature 1 and scoreFromSamples counts the yeses, an estimate of the same
 * probability (5 samples: steps of 0.2).
 */
import type { ChatRequest } from '../../domain/llm.ts';
import type { StageCaps } from '../llmText/caps.ts';
import { hashString, requestSeed, seededRandom } from '../llmText/prng.ts';
import { judgeMessages } from './judgePrompt.ts';

/** The paper's: greedy, 5 tokens, top-5 log-probabilities. */
export function judgeRequest(problem: string, code: string): ChatRequest {
  return { messages: judgeMessages(problem, code), temperature: 0, maxTokens: 5, topLogprobs: 5 };
}

export type JudgeSampleSettings = { samples: number; seed: number };

export const JUDGE_SAMPLE_DEFAULTS: Readonly<JudgeSampleSettings> = { samples: 5, seed: 0 };

/**
 * Requests that together ask for `settings.samples` answers: one request with `n` when the engine returns
 * several completions, else one per sample, each with its own seed (same prompt, same seed would repeat
 * the same answer).
 */
export function judgeSampleRequests(
  problem: string,
  code: string,
  caps: Pick<StageCaps, 'maxChoices'>,
  settings: JudgeSampleSettings = JUDGE_SAMPLE_DEFAULTS,
): { request: ChatRequest; count: number }[] {
  const total = Math.max(0, Math.floor(settings.samples));
  const per = Math.max(1, Math.min(Math.floor(caps.maxChoices), total));
  const random = seededRandom(hashString('judge', settings.seed, problem, code));
  const messages = judgeMessages(problem, code);
  const out: { request: ChatRequest; count: number }[] = [];
  for (let left = total; left > 0; left -= per) {
    const count = Math.min(per, left);
    out.push({
      request: {
        messages,
        temperature: 1,
        maxTokens: 5,
        seed: requestSeed(random),
        ...(count > 1 ? { n: count } : {}),
      },
      count,
    });
  }
  return out;
}
