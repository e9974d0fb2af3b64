/**
 * Probe (Semi-Instruct's test inputs): the LLM proposes argument sets as JSON (each argument a Python
 * literal), Python checks them (literal, arity, annotated types) without trusting the reply, and type-aware
 * mutation grows the usable ones without the GPU. Too few usable proposals: ask again (bounded), showing the
 * model what it already proposed.
 */
import type { CaseArgs } from '../../../domain/cases.ts';
import { keyOf } from '../../../lib/hash.ts';
import { parseProposals, probeArity, probeRequest } from '../../probe/index.ts';
import { PythonUnavailableError } from '../../run/errors.ts';
import { RequestRefused } from '../llmRunner.ts';
import { dropped, kept, need, type Stage } from '../stage.ts';

/** A batch that checks proposals runs each once; this bounds a batch whose cases loop. */
const CHECK_LIMIT_MS = 20_000;

export const probe: Stage = async (input, earlier, deps) => {
  const { python, llm, settings, signal } = deps;
  const { entryPoint, signature } = need(earlier, 'select');
  const program = input.program!;
  const arity = probeArity(signature, entryPoint) ?? { min: 0, max: null, names: [] };
  const usable: CaseArgs[] = [];
  const seen = new Set<string>();
  const droppedCases: { reason: string; detail: string }[] = [];
  let tokens = 0;
  const want = Math.max(settings.oracle.minCases, Math.ceil(settings.probe.n / 2));

  for (let attempt = 0; attempt <= settings.probe.retries && usable.length < want; attempt++) {
    const request = probeRequest(
      {
        code: program,
        signature,
        entryPoint,
        instruction: input.fn.prose,
        count: settings.probe.n,
        ...(attempt > 0 ? { avoid: usable.map((c) => c.args) } : {}),
      },
      llm.capabilities,
      { temperature: settings.probe.temperature, seed: settings.seed + attempt },
    );
    let reply;
    try {
      reply = await llm.call(input.functionId, 'probe', request, signal);
    } catch (error) {
      if (error instanceof RequestRefused) return dropped('llm-refused', error.message, null, tokens);
      throw error;
    }
    tokens += reply.tokens;
    const proposals = parseProposals(reply.result, { min: arity.min, max: arity.max, names: arity.names });
    droppedCases.push(...proposals.dropped);
    const fresh = proposals.cases.map((c) => ({ args: c.args })).filter((c) => !seen.has(keyOf(c.args)));
    for (const c of fresh) seen.add(keyOf(c.args));
    if (fresh.length === 0) continue;
    // Python is the judge of what a literal is and of what binds to the signature.
    const checked = await python.runCases(
      {
        program,
        entryPoint,
        cases: fresh,
        coverage: false,
        tests: false,
        caseBudget: { maxMs: settings.oracle.caseLimitMs, slowFactor: settings.oracle.slowFactor, floorMs: 50 },
      },
      CHECK_LIMIT_MS,
      signal,
    );
    if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
    if (checked.kind === 'failed')
      return dropped('program-fails', `${checked.exception.type}: ${checked.exception.message}`);
    if (checked.kind !== 'ran') {
      usable.push(...fresh); // the oracle runs them one by one and finds the one that hangs
      continue;
    }
    checked.cases.forEach((outcome, i) => {
      if (outcome.kind === 'invalid') droppedCases.push({ reason: outcome.reason, detail: outcome.detail });
      else usable.push(fresh[i]!);
    });
  }
  if (usable.length === 0) {
    const why = droppedCases
      .slice(0, 3)
      .map((d) => `${d.reason}: ${d.detail}`)
      .join('; ');
    return dropped(
      'no-inputs',
      `No usable argument sets were proposed${why ? ` (${why})` : ''}.`,
      probeOutput(usable, [], droppedCases),
      tokens,
    );
  }
  const grown = await python.mutateCases(
    { cases: usable, program, entryPoint, count: settings.probe.mutations, seed: settings.seed },
    signal,
  );
  if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
  const mutated = grown.kind === 'mutated' ? grown.cases : [];
  return kept(probeOutput(usable, mutated, droppedCases), tokens);
};

function probeOutput(proposed: CaseArgs[], mutated: CaseArgs[], dropped: { reason: string; detail: string }[]) {
  return { stage: 'probe' as const, proposed, mutated, dropped: dropped.slice(0, 50) };
}
