/**
 * Judge (InverseCoder's self-evaluation): each surviving candidate is scored as P(Yes) / (P(Yes) + P(No))
 * from the first generated token's top log-probabilities, for "is this code a correct answer to this
 * problem?"; without log-probabilities the answer is sampled a few times and the score marked estimated.
 * The best candidate is chosen (the paper: top-1 beats top-3/5 and a textual score); under the threshold
 * the function is dropped.
 */
import type { Candidate } from '../../../domain/pipeline.ts';
import { judgeRequest, judgeSampleRequests, scoreFromLogprobs, scoreFromSamples } from '../../judge/index.ts';
import { RequestRefused } from '../llmRunner.ts';
import { dropped, kept, need, type Stage } from '../stage.ts';

export const judge: Stage = async (input, earlier, { llm, settings, signal }) => {
  const program = input.program!;
  const candidates: Candidate[] = need(earlier, 'instruct').candidates.map((c) => ({ ...c }));
  const caps = llm.capabilities;
  let tokens = 0;
  try {
    for (const candidate of candidates) {
      if (candidate.dropped) continue;
      if (caps.logprobs) {
        const reply = await llm.call(input.functionId, 'judge', judgeRequest(candidate.text, program), signal);
        tokens += reply.tokens;
        const score = scoreFromLogprobs(reply.result);
        if (score.ok) Object.assign(candidate, { score: score.score, estimated: false, missing: score.missing });
        else candidate.dropped = { reason: `unscored-${score.reason}`, detail: score.detail };
      } else {
        const texts: string[] = [];
        const shared = caps.choicesShareThePrompt ? caps.maxChoices : 1;
        const requests = judgeSampleRequests(
          candidate.text,
          program,
          { maxChoices: shared },
          {
            samples: settings.judge.samples,
            seed: settings.seed,
          },
        );
        for (const { request, count } of requests) {
          const reply = await llm.call(input.functionId, 'judge', request, signal);
          tokens += reply.tokens;
          texts.push(...reply.result.choices.slice(0, count).map((c) => c.text));
        }
        const score = scoreFromSamples(texts);
        if (score.ok) Object.assign(candidate, { score: score.score, estimated: true, missing: null });
        else candidate.dropped = { reason: 'unscored-unclear', detail: score.detail };
      }
    }
  } catch (error) {
    if (error instanceof RequestRefused)
      return dropped('llm-refused', error.message, { stage: 'judge', candidates, chosen: null }, tokens);
    throw error;
  }
  let chosen: number | null = null;
  candidates.forEach((c, i) => {
    if (c.dropped || c.score === null) return;
    if (chosen === null || c.score > candidates[chosen]!.score!) chosen = i;
  });
  const output = { stage: 'judge' as const, candidates, chosen };
  if (chosen === null) return dropped('no-score', 'No candidate could be scored.', output, tokens);
  const best = candidates[chosen]!.score!;
  if (best < settings.judge.threshold)
    return dropped(
      'below-threshold',
      `The best candidate scored ${best.toFixed(3)}, under ${settings.judge.threshold}.`,
      output,
      tokens,
    );
  return kept(output, tokens);
};
