/**
 * Is a call deterministic? Run it twice with different `random` seeds, the second time on another worker
 * when one is given (the product passes a pool started with a different PYTHONHASHSEED, which also varies
 * set and dict-of-str order), and compare the results here, outside both workers.
 */
import type { PythonPort } from '../ports.ts';
import type { CallJob, CallResult } from '../../domain/run.ts';
import { sameValue } from './compareCanon.ts';

export type Determinism = { deterministic: boolean; first: CallResult; second: CallResult };

export const SEEDS = [1, 2] as const;

export async function checkDeterminism(
  python: PythonPort,
  job: CallJob,
  limitMs: number,
  other: PythonPort = python,
  signal?: AbortSignal,
): Promise<Determinism> {
  const first = await python.runCall({ ...job, seed: SEEDS[0] }, limitMs, signal);
  const second = await other.runCall({ ...job, seed: SEEDS[1] }, limitMs, signal);
  return { deterministic: sameResult(first, second), first, second };
}

/** Two results agree: the same value (within float tolerance), or the same exception type and message. */
export function sameResult(a: CallResult, b: CallResult): boolean {
  if (a.kind === 'ok' && b.kind === 'ok') return sameValue(a.value, b.value) && a.stdout.text === b.stdout.text;
  if (a.kind === 'exception' && b.kind === 'exception') return a.type === b.type && a.message === b.message;
  return a.kind === b.kind && a.kind === 'memory';
}
