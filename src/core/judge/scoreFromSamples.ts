/**
 * P(Yes) estimated by sampling, for engines without log-probabilities: the share of sampled replies that
 * begin with yes among those that begin with yes or no. Replies that begin with anything else are counted
 * as `unclear` and left out of the ratio; when every reply is unclear there is no estimate.
 */
import { stripSpecialTokens } from '../llmText/specialTokens.ts';
import { replySide } from './yesNo.ts';

export type SampleScore =
  | { ok: true; score: number; estimated: true; yes: number; no: number; unclear: number }
  | { ok: false; reason: 'unclear'; detail: string };

export function scoreFromSamples(texts: readonly string[]): SampleScore {
  let yes = 0;
  let no = 0;
  for (const text of texts) {
    const side = replySide(stripSpecialTokens(text));
    if (side === 'yes') yes++;
    else if (side === 'no') no++;
  }
  const unclear = texts.length - yes - no;
  if (yes + no === 0)
    return {
      ok: false,
      reason: 'unclear',
      detail:
        texts.length === 0
          ? 'no replies'
          : `none of ${texts.length} replies begins with yes or no (first: ${JSON.stringify(texts[0]!.slice(0, 40))})`,
    };
  return { ok: true, score: yes / (yes + no), estimated: true, yes, no, unclear };
}
