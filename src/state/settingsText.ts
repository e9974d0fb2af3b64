/** The LLM stages' settings in one line, for people: what a project ran with, what a new run would use. */
import type { PipelineSettings } from '../domain/pipeline.ts';

export function settingsText(s: PipelineSettings): string {
  const { instruct, judge, probe, oracle, solve } = s;
  return [
    `${instruct.k} candidate${instruct.k === 1 ? '' : 's'} (temperature ${instruct.temperature}, ≤ ${instruct.maxTokens} tokens)`,
    `judge ≥ ${judge.threshold} (${judge.samples} samples without log-probabilities)`,
    `${probe.n} inputs (${probe.retries} retries, ${probe.mutations} mutations)`,
    `${oracle.minCases}–${oracle.maxCases} cases, ${oracle.caseLimitMs / 1000} s each`,
    `solve at temperature ${solve.temperature} (≤ ${solve.maxTokens} tokens)`,
    `seed ${s.seed}`,
  ].join(' · ');
}

/** Whether two configurations would run the same (same numbers everywhere). */
export function sameSettings(a: PipelineSettings, b: PipelineSettings): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, sorted(v)]),
  );
}
