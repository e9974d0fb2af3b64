/**
 * Running one call: a program, then an expression. Results cross from Python as plain data; the value is
 * in canonical form (workers/python/harness/semiverse_canon.py) so that it survives the trip exactly and
 * two results can be compared outside the worker that produced them (core/verify/compareCanon.ts).
 */

export type CallJob = {
  program: string;
  expression: string;
  /** random.seed before the call (the worker's PYTHONHASHSEED is fixed per worker). */
  seed?: number;
};

/** A canonical value: `t` says the kind; see semiverse_canon.py for every shape. */
export type Canon = { t: string; [field: string]: unknown };

/** Output of the code, the first 64 KiB of each stream. */
export type Captured = { text: string; truncated: boolean };

export type CallPhase = 'program' | 'call' | 'value';

export type CallResult =
  | { kind: 'ok'; value: Canon; text: string; stdout: Captured; stderr: Captured }
  | {
      kind: 'exception';
      phase: CallPhase;
      type: string;
      message: string;
      traceback: string;
      stdout: Captured;
      stderr: Captured;
    }
  | { kind: 'memory'; phase: CallPhase; detail: string; stdout: Captured; stderr: Captured }
  | { kind: 'timeout'; limitMs: number }
  | { kind: 'crashed'; detail: string };
