/**
 * Progress of a run from the project's counters: what the bar shows, and an ETA from the rate measured in
 * this page (a rate from before a reload would mix in the reload itself).
 */
import type { ProjectRow } from '../domain/records.ts';

export type Progress = {
  label: string;
  done: number;
  /** Null while the total is unknown (reading a folder): the bar is indeterminate. */
  total: number | null;
};

/** `llm`: functions through the LLM stages (accepted or dropped) of all of them, once the funnel is read. */
export function progressOf(project: ProjectRow, llm: { done: number; total: number } | null = null): Progress {
  const c = project.counts;
  switch (project.phase) {
    case 'ingesting':
      return { label: 'Reading files', done: c.seen, total: null };
    case 'extracting':
      return { label: 'Extracting functions', done: c.filesExtracted + c.filesFailed, total: c.filesAccepted };
    case 'deduplicating':
      // Files normalised of all (core/dedup/dedupStage.ts); clustering them after is a few seconds.
      return { label: 'Finding duplicates', done: project.dedup?.filesDone ?? 0, total: project.dedup?.files ?? null };
    case 'screening':
      return { label: 'Screening samples', done: 0, total: null };
    case 'verifying':
      return { label: 'Running doctests', done: c.doctestsRun, total: c.doctestsRun + c.byStatus.pending };
    case 'generating':
      // Per stage, the funnel shows more; here: functions that left the pending state.
      return { label: 'Running the LLM stages', done: llm?.done ?? 0, total: llm?.total ?? null };
    case 'done':
      return { label: 'Done', done: 1, total: 1 };
    case 'failed':
      return { label: 'Stopped', done: 0, total: null };
  }
}

/** Remaining time from recent progress: a sliding window, so a slow start does not skew the whole run. */
export class RateMeter {
  #samples: { at: number; done: number; label: string }[] = [];

  constructor(private readonly windowMs = 20_000) {}

  sample(progress: Progress, now: number): void {
    if (this.#samples[0]?.label !== progress.label) this.#samples = [];
    this.#samples.push({ at: now, done: progress.done, label: progress.label });
    while (this.#samples.length > 2 && now - this.#samples[0]!.at > this.windowMs) this.#samples.shift();
  }

  /** Milliseconds left, or null when it cannot be told yet. */
  remaining(progress: Progress): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || progress.total === null || last.at - first.at < 1000) return null;
    const rate = (last.done - first.done) / (last.at - first.at);
    if (rate <= 0) return null;
    return Math.max(0, (progress.total - progress.done) / rate);
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
