/**
 * Instruct (Inverse-Instruct): K candidate instructions written from the code. Several in one request
 * (`n`) where that reads the code once (a server); else one request each, each with its own opener and
 * seed. An engine that returns fewer completions than asked is asked again for the rest (once per request).
 * Every candidate is kept in the output, with why it was dropped when it was.
 */
import type { Candidate } from '../../../domain/pipeline.ts';
import { dedupeCandidates, instructRequests, parseCandidate } from '../../instruct/index.ts';
import { RequestRefused } from '../llmRunner.ts';
import { dropped, kept, need, type Stage } from '../stage.ts';

export const instruct: Stage = async (input, earlier, { llm, settings, signal }) => {
  const { entryPoint } = need(earlier, 'select');
  const program = input.program!;
  const caps = llm.capabilities;
  const requests = instructRequests(
    { code: program, entryPoint },
    { ...settings.instruct, seed: settings.seed },
    { maxChoices: caps.choicesShareThePrompt ? caps.maxChoices : 1, continuesAssistant: caps.continuesAssistant },
  );
  const candidates: Candidate[] = [];
  let tokens = 0;
  try {
    for (const { request, opener, count, prefilled } of requests) {
      let got = 0;
      for (let ask = 0; ask < 2 && got < count; ask++) {
        const left = count - got;
        const asked = ask === 0 ? request : { ...request, n: left, seed: (request.seed ?? 0) + 7919 * ask };
        const reply = await llm.call(
          input.functionId,
          'instruct',
          left === 1 && ask > 0 ? { ...asked, n: undefined } : asked,
          signal,
        );
        tokens += reply.tokens;
        for (const choice of reply.result.choices.slice(0, left)) {
          got += 1;
          const parsed = parseCandidate(choice, opener, program, entryPoint, prefilled);
          candidates.push({
            text: parsed.ok ? parsed.instruction : choice.text,
            opener,
            dropped: parsed.ok ? null : { reason: parsed.reason, detail: parsed.detail },
            score: null,
            estimated: false,
            missing: null,
          });
        }
      }
    }
  } catch (error) {
    if (error instanceof RequestRefused)
      return dropped('llm-refused', error.message, { stage: 'instruct', candidates }, tokens);
    throw error;
  }
  const live = candidates.flatMap((c, index) => (c.dropped ? [] : [{ index, text: c.text }]));
  const dedupe = dedupeCandidates(live.map((c) => c.text));
  for (const d of dedupe.dropped) candidates[live[d.index]!.index]!.dropped = { reason: d.reason, detail: d.detail };
  const output = { stage: 'instruct' as const, candidates };
  if (candidates.every((c) => c.dropped)) {
    const reasons = [...new Set(candidates.map((c) => c.dropped!.reason))].join(', ');
    return dropped('no-instruction', `All ${candidates.length} candidates were dropped (${reasons}).`, output, tokens);
  }
  return kept(output, tokens);
};
