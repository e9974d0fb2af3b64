/**
 * P(Yes) from the judge's first token (InverseCoder): score = P(yes) / (P(yes) + P(no)), where each side's
 * probability is the sum over every spelling of it among the token's top alternatives (yesNo.ts). A side
 * absent from the top-k counts as negligible, logprob −100 as in the paper, and is named in `missing`;
 * both absent is `neither` (the model began with something else: "The", "As an AI").
 *
 * Real models often begin with a space, a newline or markdown ("**Yes**"). When the first token is blank
 * like that and its alternatives hold neither side, the first non-blank token is scored instead, and
 * `position` says which token that was (0 normally).
 *
 * The paper also counts "As" as No (a model that starts "As an AI…" tends to decline). Not done here:
 * "As" begins too many neutral replies ("As written, the code…") to be read as a verdict.
 */
import type { ChatChoice, TokenLogprob } from '../../domain/llm.ts';
import { isBlankToken, tokenSide } from './yesNo.ts';

/** The paper's value for a side missing from the top-k. */
export const MISSING_LOGPROB = -100;

export type LogprobScore =
  | {
      ok: true;
      /** P(yes) / (P(yes) + P(no)), in [0, 1]. */
      score: number;
      /** Summed probabilities of each side's spellings (exp(−100) when missing). */
      yes: number;
      no: number;
      missing: 'yes' | 'no' | null;
      /** Index of the generated token the score was read from. */
      position: number;
    }
  | { ok: false; reason: 'no-logprobs' | 'neither'; detail: string };

type Sides = { yes: number; no: number; seen: Set<string> };

function sides(entry: TokenLogprob): Sides {
  const out: Sides = { yes: 0, no: 0, seen: new Set() };
  // The chosen token and its alternatives, each spelling once (engines list the chosen one among the top).
  const byToken = new Map<string, number>();
  for (const { token, logprob } of [...(entry.top ?? []), { token: entry.token, logprob: entry.logprob }]) {
    if (typeof token !== 'string' || typeof logprob !== 'number' || Number.isNaN(logprob)) continue;
    if (!byToken.has(token)) byToken.set(token, logprob);
  }
  for (const [token, logprob] of byToken) {
    const side = tokenSide(token);
    if (side === null) continue;
    out.seen.add(side);
    out[side] += Math.exp(Math.min(0, logprob));
  }
  return out;
}

/** `result`: a ChatResult (its first choice) or any one of its choices. */
export function scoreFromLogprobs(result: Pick<ChatChoice, 'logprobs' | 'text'>): LogprobScore {
  const tokens = result.logprobs;
  if (!tokens || tokens.length === 0)
    return { ok: false, reason: 'no-logprobs', detail: 'the engine returned no log-probabilities' };
  let position = 0;
  let found = sides(tokens[0]!);
  if (found.seen.size === 0 && isBlankToken(tokens[0]!.token)) {
    const next = tokens.findIndex((t) => !isBlankToken(t.token));
    if (next > 0) {
      position = next;
      found = sides(tokens[next]!);
    }
  }
  if (found.seen.size === 0) {
    const first = tokens[position]!;
    const alternatives = (first.top ?? []).map((t) => JSON.stringify(t.token)).join(', ');
    return {
      ok: false,
      reason: 'neither',
      detail: `token ${position} ${JSON.stringify(first.token)} and its alternatives [${alternatives}] are neither yes nor no`,
    };
  }
  const negligible = Math.exp(MISSING_LOGPROB);
  const missing = !found.seen.has('yes') ? 'yes' : !found.seen.has('no') ? 'no' : null;
  const yes = found.seen.has('yes') ? found.yes : negligible;
  const no = found.seen.has('no') ? found.no : negligible;
  const total = yes + no;
  // Both sides present but underflowing (-9999 from vLLM): no information either way.
  const score = total > 0 ? yes / total : 0.5;
  return { ok: true, score, yes, no, missing, position };
}
