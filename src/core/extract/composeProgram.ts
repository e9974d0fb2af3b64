/**
 * The standalone program of a function: its segments (imports, helpers, the unit) in order. The native
 * benchmark baseline (bench/native_pipeline.py) joins segments the same way; keep the two in step.
 */
export const SEGMENT_SEPARATOR = '\n\n\n';

export function composeProgram(segments: readonly string[], program: readonly number[]): string {
  return program.map((index) => segments[index] ?? '').join(SEGMENT_SEPARATOR) + '\n';
}
