/**
 * What a run's Python calls (bench/threadPython.ts) add up to: their cost by method, the functions heaviest
 * in Python, the calls that ran into their limit, and how long quick calls waited for a free thread.
 */
import type { PythonCall } from './threadPython.ts';

export type PythonFigures = {
  calls: number;
  /** By method: how many, their running time summed and its median, how many hit their limit. */
  byMethod: Map<string, MethodFigures>;
  /**
   * runCases calls that ran into their limit, and what they cost: the pipeline splits such a batch in
   * halves down to the single cases that hang (casesRun.ts), each batch waiting its whole limit. `hanging`:
   * single-case calls that hit it (the cases that hang); `leafMs`: what those alone cost.
   */
  limits: { calls: number; ms: number; hanging: number; leafMs: number };
  /** The entry points that took the most Python time (the first few), with their calls by method. */
  heaviest: { entryPoint: string; ms: number; byMethod: Map<string, MethodFigures> }[];
  /** How long calls other than the mutant pass waited for a free thread: in front of a function's next step. */
  wait: { calls: number; totalMs: number; medianMs: number; p90Ms: number };
};

export function pythonFigures(calls: readonly PythonCall[]): PythonFigures {
  return {
    calls: calls.length,
    byMethod: byMethod(calls),
    limits: limitsHit(calls),
    heaviest: heaviest(calls),
    wait: waits(calls),
  };
}

/** Calls of one Python method: how many, their running time summed and its median, how many hit their limit. */
export type MethodFigures = { calls: number; ms: number; median: number; interrupted: number };

function byMethod(calls: readonly PythonCall[]): Map<string, MethodFigures> {
  const groups = new Map<string, PythonCall[]>();
  for (const c of calls) groups.set(c.method, [...(groups.get(c.method) ?? []), c]);
  return new Map(
    [...groups].map(([method, list]) => {
      const times = list.map((c) => c.ended - c.started).sort((a, b) => a - b);
      const ms = times.reduce((sum, x) => sum + x, 0);
      const interrupted = list.filter((c) => c.interrupted).length;
      return [method, { calls: list.length, ms, median: times[Math.floor(times.length / 2)]!, interrupted }];
    }),
  );
}

function heaviest(calls: readonly PythonCall[]): PythonFigures['heaviest'] {
  const groups = new Map<string, PythonCall[]>();
  for (const c of calls) if (c.entryPoint) groups.set(c.entryPoint, [...(groups.get(c.entryPoint) ?? []), c]);
  return [...groups]
    .map(([entryPoint, list]) => ({
      entryPoint,
      ms: list.reduce((sum, c) => sum + c.ended - c.started, 0),
      byMethod: byMethod(list),
    }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
}

function limitsHit(calls: readonly PythonCall[]): PythonFigures['limits'] {
  const hit = calls.filter((c) => c.method === 'runCases' && c.interrupted);
  const leaves = hit.filter((c) => c.cases === 1);
  const sum = (list: PythonCall[]) => list.reduce((total, c) => total + c.ended - c.started, 0);
  return { calls: hit.length, ms: sum(hit), hanging: leaves.length, leafMs: sum(leaves) };
}

function waits(calls: readonly PythonCall[]): PythonFigures['wait'] {
  const quick = calls.filter((c) => c.method !== 'mutants' && c.method !== 'runMutants');
  const times = quick.map((c) => c.started - c.asked).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { calls: times.length, totalMs: times.reduce((sum, t) => sum + t, 0), medianMs: at(0.5), p90Ms: at(0.9) };
}
