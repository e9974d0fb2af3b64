/**
 * Runs a batch of cases on a program and always comes back with one outcome per case. A case that runs
 * past its own budget (the job's `caseBudget`, enforced in Python) is a `timeout` and the batch goes on; a
 * batch that still hits the pool's limit (a long C call ignores the budget) or kills its worker is split in
 * halves and run again, down to the single case that hangs or crashes. Programs that fail before any case
 * runs come back as `failed`.
 */
import { DEADLINE_EXCEPTION, type CaseArgs, type CaseOutcome, type CasesJob } from '../../domain/cases.ts';
import type { ExceptionInfo } from '../../domain/verify.ts';
import type { PythonPort } from '../ports.ts';
import { PythonUnavailableError } from '../run/errors.ts';

export type RunOutcome = CaseOutcome | { kind: 'timeout' } | { kind: 'crashed'; detail: string };

export type BatchResult =
  | { kind: 'ran'; executable: number[] | null; helper: string | null; cases: RunOutcome[] }
  | { kind: 'failed'; phase: 'program' | 'entry'; exception: ExceptionInfo };

/**
 * Time a batch may take before the pool stops it. Cases keep to their own budgets inside Python (a hanging
 * one costs its budget, usually far under `caseLimitMs`), so this only has to catch a case stuck in a long C
 * call: one full case limit, plus a quarter second a case. A batch of slow cases that goes over is split
 * and run again, so a limit that is too short costs time, never a wrong verdict.
 */
function batchLimit(cases: number, caseLimitMs: number): number {
  return Math.min(120_000, 2_000 + caseLimitMs + cases * Math.min(caseLimitMs, 250));
}

export async function runBatch(
  python: PythonPort,
  job: Omit<CasesJob, 'cases'>,
  cases: CaseArgs[],
  caseLimitMs: number,
  signal?: AbortSignal,
): Promise<BatchResult> {
  let executable: number[] | null = null;
  let helper: string | null = null;
  const run = async (part: CaseArgs[]): Promise<RunOutcome[] | BatchResult> => {
    const result = await python.runCases({ ...job, cases: part }, batchLimit(part.length, caseLimitMs), signal);
    if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
    if (result.kind === 'failed') return result;
    if (result.kind === 'ran') {
      executable ??= result.executable;
      helper ??= result.helper;
      return result.cases.map((c) =>
        c.kind === 'exception' && c.type === DEADLINE_EXCEPTION ? { kind: 'timeout' } : c,
      );
    }
    if (part.length === 1)
      return [result.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'crashed', detail: result.detail }];
    const half = Math.ceil(part.length / 2);
    const first = await run(part.slice(0, half));
    if (!Array.isArray(first)) return first;
    const second = await run(part.slice(half));
    if (!Array.isArray(second)) return second;
    return [...first, ...second];
  };
  if (cases.length === 0) return { kind: 'ran', executable: null, helper: null, cases: [] };
  const outcomes = await run(cases);
  if (!Array.isArray(outcomes)) return outcomes;
  return { kind: 'ran', executable, helper, cases: outcomes };
}
