/**
 * Token counts and speeds for ChatUsage. Speeds come from the server when it measures them (llama-server's
 * `timings.prompt_per_second` / `predicted_per_second`); otherwise they are measured here, as seen from
 * the client, which includes network time and any queueing on the server, so they read low:
 * - prefill: prompt tokens / time from sending the request to the first piece of text (streaming only: a
 *   whole reply arrives after decoding too, so it says nothing about prefill);
 * - decode: (completion tokens − 1) / time from the first to the last piece of text (the first token's
 *   time belongs to prefill); streaming only, and at least two tokens.
 * Null wherever the numbers cannot tell. Counts come from the server's `usage`; without one, the prompt
 * count is 0 (unknown) and the completion count is the logprob entries of all choices, else the streamed
 * pieces.
 */
import type { ChatUsage } from '../../../domain/llm.ts';
import type { Collected } from './collect.ts';

export function usageOf(collected: Collected, sentAt: number): ChatUsage {
  const promptTokens = collected.usage?.promptTokens ?? 0;
  const completionTokens = collected.usage?.completionTokens ?? logprobEntries(collected) ?? collected.pieces;
  const { firstTextAt: first, lastTextAt: last } = collected;
  const measuredPrefill = first !== null && promptTokens > 0 ? perSecond(promptTokens, first - sentAt) : null;
  const measuredDecode =
    first !== null && last !== null && completionTokens >= 2 ? perSecond(completionTokens - 1, last - first) : null;
  return {
    promptTokens,
    completionTokens,
    prefillTokensPerSecond: collected.timings?.promptPerSecond ?? measuredPrefill,
    decodeTokensPerSecond: collected.timings?.decodePerSecond ?? measuredDecode,
  };
}

/** One logprob entry per generated token, over all choices; null when the server sent none. */
function logprobEntries(collected: Collected): number | null {
  const lists = collected.choices.flatMap((choice) => (choice.logprobs ? [choice.logprobs.length] : []));
  return lists.length > 0 ? lists.reduce((a, b) => a + b, 0) : null;
}

function perSecond(tokens: number, ms: number): number | null {
  return ms > 0 ? (tokens * 1000) / ms : null;
}
