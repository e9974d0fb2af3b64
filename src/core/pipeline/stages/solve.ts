/**
 * Solve (the round trip): from the chosen instruction and the signature only, never the original body, the
 * LLM writes a solution; it is taken out of the reply (fenced or not, prose around it) and must define the
 * entry point. Whether it parses is for Python to say, in verify.
 */
import { extractSolution, solveRequest } from '../../solve/index.ts';
import { RequestRefused } from '../llmRunner.ts';
import { dropped, kept, need, type Stage } from '../stage.ts';

export const solve: Stage = async (input, earlier, { llm, settings, signal }) => {
  const { entryPoint, signature } = need(earlier, 'select');
  const { candidates, chosen } = need(earlier, 'judge');
  const instruction = candidates[chosen!]!.text;
  const className = input.fn.classPath.at(-1) ?? null;
  const request = solveRequest(
    { instruction, signature, entryPoint, className },
    { ...settings.solve, seed: settings.seed },
    llm.capabilities,
  );
  let reply;
  try {
    reply = await llm.call(input.functionId, 'solve', request, signal);
  } catch (error) {
    if (error instanceof RequestRefused) return dropped('llm-refused', error.message);
    throw error;
  }
  const solution = extractSolution(reply.result, entryPoint);
  const text = reply.result.text;
  if (!solution.ok)
    return dropped(
      'no-solution',
      `${solution.reason}: ${solution.detail}`,
      { stage: 'solve', code: null, reply: text },
      reply.tokens,
    );
  return kept({ stage: 'solve', code: solution.code, reply: text }, reply.tokens);
};
