/**
 * Does a run agree with what the oracle recorded? Compared here, outside the worker that ran the code (a
 * worker can forge its own replies, so expected outputs never go into it). Floats agree within EvalPlus's
 * tolerance (absolute 1e-6), the same the exported tests use.
 */
import type { CaseOutcome } from '../../domain/cases.ts';
import type { OracleCase } from '../../domain/pipeline.ts';
import type { Canon } from '../../domain/run.ts';
import { sameValue, type Tolerance } from '../verify/compareCanon.ts';
import type { RunOutcome } from './casesRun.ts';

export const CASE_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-6 };

/** Null when they agree, else what differs (for the inspector). */
export function disagreement(expect: OracleCase['expect'], got: RunOutcome, tolerance = CASE_TOLERANCE): string | null {
  if (got.kind === 'timeout') return 'timed out';
  if (got.kind === 'crashed') return `crashed: ${got.detail}`;
  if (got.kind === 'memory') return 'ran out of memory';
  if (got.kind === 'invalid') return `${got.reason}: ${got.detail}`;
  if (expect.kind === 'exception') {
    if (got.kind === 'exception' && got.phase === 'call' && got.type === expect.type) return null;
    return got.kind === 'exception'
      ? `raised ${got.type} instead of ${expect.type}`
      : `returned instead of raising ${expect.type}`;
  }
  if (got.kind === 'exception') return `raised ${got.type}: ${got.message}`;
  if (!sameValue(expect.value, got.value, tolerance)) return 'returned another value';
  if (got.stdout.truncated || got.stdout.text !== expect.stdout) return 'printed something else';
  if (!sameArgsAfter(expect.argsAfter, got.argsAfter, tolerance)) return 'left its arguments in another state';
  return null;
}

function sameArgsAfter(a: (Canon | null)[], b: (Canon | null)[], tolerance: Tolerance): boolean {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x !== y) return false;
    } else if (!sameValue(x, y, tolerance)) return false;
  }
  return true;
}

/**
 * Two runs of the same code may round differently (a sum over a set, in another order under another hash
 * seed: about n·2⁻⁵³ relative) but no more. FIX (found by llmStagesOracle.test.ts, "the clock"): this was
 * the comparator's default, relative 1e-9, which lets time.time() (≈1.8e9 s) drift 1.8 s between the two
 * runs, so `time.time() - start` passed as deterministic and was exported with tests that fail seconds
 * later; 1e-13 is 0.18 ms on such a reading, under the clock's 1 ms step.
 */
const RERUN_TOLERANCE: Tolerance = { rel: 1e-13, abs: 1e-12 };

/** Did two runs of the original (other seeds) behave the same? Strict: RERUN_TOLERANCE on floats. */
export function sameBehaviour(a: CaseOutcome, b: CaseOutcome): boolean {
  if (a.kind === 'ok' && b.kind === 'ok')
    return (
      sameValue(a.value, b.value, RERUN_TOLERANCE) &&
      a.stdout.text === b.stdout.text &&
      sameArgsAfter(a.argsAfter, b.argsAfter, RERUN_TOLERANCE)
    );
  if (a.kind === 'exception' && b.kind === 'exception') return a.phase === b.phase && a.type === b.type;
  return false;
}

/** A short text of a value, for the inspector. */
export function canonText(value: Canon): string {
  return JSON.stringify(value).slice(0, 300);
}
