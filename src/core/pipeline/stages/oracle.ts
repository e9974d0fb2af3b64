/**
 * Oracle (Semi-Instruct): the ORIGINAL function runs on every input twice, under different random and hash
 * seeds (the second run on the recheck worker, whose PYTHONHASHSEED differs). A case is kept when it ran,
 * both runs agree (value, printed output, the state it left its arguments in, or the same exception type),
 * it is not slow next to the others, and it can be written as a faithful Python test. Of those, the
 * smallest set that reaches what all of them reach together is kept (set cover), topped up to the minimum
 * with cases whose outcome differs, and cut at the maximum. What is covered is the function's lines AND
 * its mutants (copies with one small change: an operator, a constant, a condition) that some case tells
 * apart from the original, as EvalPlus reduces its suites: a line that runs is not a line that is checked,
 * and the exported tests should catch a wrong solution that runs every line.
 */
import type { CaseArgs, CaseOutcome } from '../../../domain/cases.ts';
import type { OracleCase } from '../../../domain/pipeline.ts';
import { keyOf } from '../../../lib/hash.ts';
import { runBatch, type RunOutcome } from '../casesRun.ts';
import { coverCases } from '../setCover.ts';
import type { Mutant } from '../../../domain/pipeline.ts';
import type { PythonPort } from '../../ports.ts';
import { PythonUnavailableError } from '../../run/errors.ts';
import { disagreement, sameBehaviour } from '../caseCompare.ts';
import { dropped, kept as keptResult, need, type Stage } from '../stage.ts';

/** Seeds of the two runs; the recheck worker also has PYTHONHASHSEED 1 (see RunDeps.recheck). */
const FIRST_SEED = 0;
const SECOND_SEED = 1;
/** Behaviour flags (from extraction) of code whose results may change from run to run. */
const CHANCY_FLAGS = ['randomness', 'time'];
/** More random seeds for such code: six more agreeing runs leave a 1-in-3 choice a 1-in-2,187 chance. */
const EXTRA_SEEDS = [2, 3, 4, 5, 6, 7];
/** The least a case's budget can be: timer noise and a cold cache must not make a case "hang". */
const CASE_FLOOR_MS = 50;
/** A mutant's case stops after 20 × the original's slowest case, and never sooner than this. */
const MUTANT_CASE_MIN_MS = 20;
/** The whole mutant run; past it (a mutant stuck in a long C call) the cases are chosen on lines alone. */
const MUTANTS_CALL_MAX_MS = 60_000;
/** A case this much faster than the limit is never "slow", however quick the others are (timer noise). */
const FAST_ENOUGH_MS = 5;

type Ran = Extract<CaseOutcome, { kind: 'ok' | 'exception' }>;

export const oracle: Stage = async (input, earlier, deps) => {
  const { python, recheck, settings, signal } = deps;
  const { entryPoint } = need(earlier, 'select');
  const { proposed, mutated } = need(earlier, 'probe');
  const program = input.program!;
  const inputs = unique([...proposed, ...mutated]);
  const limit = settings.oracle.caseLimitMs;

  // Each case within slowFactor × the median so far (such a case would be dropped as slow anyway).
  const caseBudget = { maxMs: limit, slowFactor: settings.oracle.slowFactor, floorMs: CASE_FLOOR_MS };
  const first = await runBatch(
    python,
    { program, entryPoint, seed: FIRST_SEED, coverage: true, tests: true, caseBudget },
    inputs,
    limit,
    signal,
  );
  if (first.kind === 'failed') {
    const reason = first.phase === 'entry' ? 'no-entry' : 'program-fails';
    return dropped(reason, `${first.exception.type}: ${first.exception.message}`);
  }
  const tally: Record<string, number> = {};
  const count = (why: string): void => void (tally[why] = (tally[why] ?? 0) + 1);
  const ran: { index: number; outcome: Ran }[] = [];
  first.cases.forEach((outcome, index) => {
    const why = unusable(outcome);
    if (why) count(why);
    else ran.push({ index, outcome: outcome as Ran });
  });

  const second = await runBatch(
    recheck,
    { program, entryPoint, seed: SECOND_SEED, coverage: false, tests: false, caseBudget },
    ran.map((r) => inputs[r.index]!),
    limit,
    signal,
  );
  // Code that draws random numbers or reads the clock may agree twice by luck (a choice among 3: one time
  // in 3), and a consumer runs the tests unseeded: such functions run under more random seeds.
  const chancy = input.fn.flags.some((flag) => CHANCY_FLAGS.includes(flag));
  const extra = chancy
    ? await Promise.all(
        EXTRA_SEEDS.map((seed) =>
          runBatch(
            python,
            { program, entryPoint, seed, coverage: false, tests: false, caseBudget },
            ran.map((r) => inputs[r.index]!),
            limit,
            signal,
          ),
        ),
      )
    : [];
  const candidates: OracleCase[] = [];
  const proposedKeys = new Set(proposed.map((c) => keyOf(c)));
  const preference: number[] = [];
  ran.forEach(({ index, outcome }, i) => {
    const again = second.kind === 'ran' ? second.cases[i] : undefined;
    if (
      !again ||
      again.kind === 'timeout' ||
      again.kind === 'crashed' ||
      again.kind === 'invalid' ||
      again.kind === 'memory'
    )
      return count('second-run-failed');
    if (!sameBehaviour(outcome, again)) return count('nondeterministic');
    const steady = extra.every((run) => {
      const other = run.kind === 'ran' ? run.cases[i] : undefined;
      return (
        other !== undefined && (other.kind === 'ok' || other.kind === 'exception') && sameBehaviour(outcome, other)
      );
    });
    if (!steady) return count('nondeterministic');
    if (outcome.test === null) return count('testless');
    if (outcome.stdout.truncated) return count('output-too-long');
    const args = inputs[index]!;
    candidates.push({
      args,
      expect:
        outcome.kind === 'ok'
          ? { kind: 'ok', value: outcome.value, stdout: outcome.stdout.text, argsAfter: outcome.argsAfter }
          : { kind: 'exception', type: outcome.type },
      test: outcome.test,
      lines: outcome.lines ?? [],
      ms: outcome.ms,
    });
    // Proposed by the model before mutated; returns before raises; short before long.
    preference.push(
      (proposedKeys.has(keyOf(args)) ? 2 : 0) + (outcome.kind === 'ok' ? 1 : 0) - JSON.stringify(args).length / 1e4,
    );
  });

  // Slow next to the others: a case that takes far longer than the median one (and over a few ms).
  const median = medianOf(candidates.map((c) => c.ms));
  const quick = candidates.map((c) => c.ms <= Math.max(FAST_ENOUGH_MS, median * settings.oracle.slowFactor));
  const usable = candidates.filter((_, i) => quick[i]);
  const usablePreference = preference.filter((_, i) => quick[i]);
  for (const q of quick) if (!q) count('slow');
  if (!usable.some((c) => c.expect.kind === 'ok')) {
    return dropped(
      'too-few-cases',
      summary(tally, 'No case returned a value: every usable input raised.'),
      output([], first, tally, null),
    );
  }
  // What each case catches: small changes to the function that make it behave differently on that case.
  const mutants =
    settings.oracle.mutants > 0 ? await python.mutants(program, entryPoint, settings.oracle.mutants, signal) : [];
  const catches = await mutantsCaught(python, mutants, entryPoint, usable, signal);
  const chosen = coverCases(
    usable.map((c, i) => ({
      // Mutants are covered like lines (as negative numbers), so the set cover keeps cases that catch them.
      lines: [...c.lines, ...catches[i]!.map((m) => -1 - m)],
      preference: usablePreference[i]!,
      distinct: outcomeKey(c),
    })),
    settings.oracle.minCases,
    settings.oracle.maxCases,
  );
  const kept = chosen.map((i) => usable[i]!);
  tally['kept'] = kept.length;
  tally['redundant'] = usable.length - kept.length;
  const caught = new Set(chosen.flatMap((i) => catches[i]!));
  const score = { total: mutants.length, catchable: new Set(catches.flat()).size, caught: caught.size };
  const coverage = coverageOf(kept, first.executable);
  if (kept.length < settings.oracle.minCases)
    return dropped(
      'too-few-cases',
      summary(
        tally,
        `${kept.length} usable case${kept.length === 1 ? '' : 's'}; at least ${settings.oracle.minCases} are needed.`,
      ),
      output(kept, first, tally, coverage, score),
    );
  return kept.length > 0
    ? keptResult(output(kept, first, tally, coverage, score))
    : dropped('too-few-cases', 'No usable case.');
};

/** Per case, the mutants (by index) on which it behaves unlike the original (a case that hangs one catches it). */
async function mutantsCaught(
  python: PythonPort,
  mutants: Mutant[],
  entryPoint: string,
  cases: OracleCase[],
  signal?: AbortSignal,
): Promise<number[][]> {
  const caught: number[][] = cases.map(() => []);
  if (mutants.length === 0 || cases.length === 0) return caught;
  const slowest = Math.max(...cases.map((c) => c.ms));
  // Each case of each mutant gets 20 × the original's slowest case (at least MUTANT_CASE_MIN_MS).
  const budgetMs = Math.max(MUTANT_CASE_MIN_MS, 20 * slowest);
  const limit = Math.min(MUTANTS_CALL_MAX_MS, 5_000 + mutants.length * cases.length * budgetMs * 2);
  const result = await python.runMutants(
    { programs: mutants.map((m) => m.program), entryPoint, cases: cases.map((c) => c.args), seed: 0, budgetMs },
    limit,
    signal,
  );
  if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
  if (result.kind !== 'ran') return caught; // a mutant in a long C call: lines alone decide
  result.runs.forEach((run, m) => {
    if (run.kind !== 'ran') return; // a mutant that does not load catches nothing worth a case
    run.cases.forEach((outcome, i) => {
      if (disagreement(cases[i]!.expect, outcome) !== null) caught[i]!.push(m);
    });
  });
  return caught;
}

function unusable(outcome: RunOutcome): string | null {
  switch (outcome.kind) {
    case 'ok':
      return null;
    case 'exception':
      return outcome.phase === 'value' ? 'unreadable-value' : null;
    case 'invalid':
      return `invalid-${outcome.reason}`;
    default:
      return outcome.kind; // timeout, crashed, memory
  }
}

type Score = { total: number; catchable: number; caught: number };

function output(
  cases: OracleCase[],
  run: { executable: number[] | null; helper: string | null },
  tally: Record<string, number>,
  coverage: number | null,
  mutants: Score = { total: 0, catchable: 0, caught: 0 },
) {
  return { stage: 'oracle' as const, cases, helper: run.helper, executable: run.executable, coverage, mutants, tally };
}

function coverageOf(cases: OracleCase[], executable: number[] | null): number | null {
  if (!executable || executable.length === 0) return null;
  const hit = new Set(cases.flatMap((c) => c.lines.filter((line) => line > 0)));
  return executable.filter((line) => hit.has(line)).length / executable.length;
}

function outcomeKey(c: OracleCase): string {
  return c.expect.kind === 'ok' ? `ok:${keyOf(c.expect.value)}` : `raise:${c.expect.type}`;
}

function unique(cases: CaseArgs[]): CaseArgs[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = keyOf(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function medianOf(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function summary(tally: Record<string, number>, head: string): string {
  const parts = Object.entries(tally)
    .filter(([key, n]) => n > 0 && key !== 'kept')
    .map(([key, n]) => `${n} ${key}`);
  return parts.length > 0 ? `${head} Inputs: ${parts.join(', ')}.` : head;
}
