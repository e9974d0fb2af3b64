/**
 * The LLM pipeline as the UI shows it, from stage verdicts (pure, tested in Node): where each function
 * stands, the funnel's line per stage, the function table's LLM filters. Only verdicts with the project's
 * current fingerprints count, as in the funnel (core/pipeline/funnel.ts): a function is followed through
 * the stages in order and stands at its first stage without a current "kept".
 */
import type { StageVerdict } from '../core/ports.ts';
import {
  DROP_REASONS,
  LLM_STAGES,
  STAGE_LABELS,
  type DropReason,
  type FunnelRow,
  type LlmCallRow,
  type LlmStage,
  type StageDataRow,
  type StageOutput,
  type StageRow,
} from '../domain/pipeline.ts';

export type FunctionVerdict =
  | { state: 'accepted' }
  | { state: 'dropped'; stage: LlmStage; reason: DropReason }
  /** Waiting for `stage` (no current verdict there yet). */
  | { state: 'pending'; stage: LlmStage };

export function functionVerdicts(
  functions: readonly string[],
  verdicts: readonly StageVerdict[],
  current: Record<LlmStage, string>,
): Map<string, FunctionVerdict> {
  const byFunction = new Map<string, Map<LlmStage, StageVerdict>>();
  for (const v of verdicts) {
    if (v.fingerprint !== current[v.stage]) continue;
    let stages = byFunction.get(v.functionId);
    if (!stages) byFunction.set(v.functionId, (stages = new Map()));
    stages.set(v.stage, v);
  }
  const out = new Map<string, FunctionVerdict>();
  for (const id of functions) out.set(id, verdictOf(byFunction.get(id)));
  return out;
}

function verdictOf(stages: Map<LlmStage, StageVerdict> | undefined): FunctionVerdict {
  for (const stage of LLM_STAGES) {
    const v = stages?.get(stage);
    if (!v) return { state: 'pending', stage };
    if (v.status === 'dropped') return { state: 'dropped', stage, reason: v.reason ?? 'llm-refused' };
  }
  return { state: 'accepted' };
}

/** A row's verdict in a few characters, e.g. "✓ accepted", "✗ Judge: below-threshold", "… Solve". */
export function verdictText(verdict: FunctionVerdict): string {
  switch (verdict.state) {
    case 'accepted':
      return '✓ accepted';
    case 'dropped':
      return `✗ ${STAGE_LABELS[verdict.stage]}: ${verdict.reason}`;
    case 'pending':
      return `… ${STAGE_LABELS[verdict.stage]}`;
  }
}

/** The words for a verdict (a tooltip). */
export function verdictTitle(verdict: FunctionVerdict): string {
  switch (verdict.state) {
    case 'accepted':
      return 'Accepted: every stage kept it; it is exported as an LLM sample.';
    case 'dropped':
      return `Dropped at ${STAGE_LABELS[verdict.stage]}: ${DROP_REASONS[verdict.reason]}.`;
    case 'pending':
      return `Waiting for ${STAGE_LABELS[verdict.stage]}.`;
  }
}

export function droppedTotal(row: FunnelRow): number {
  return Object.values(row.dropped).reduce((sum, n) => sum + (n ?? 0), 0);
}

/**
 * One stage of the funnel as text, the stable form tests read (data-testid="funnel"): the stage's label,
 * then its counts, each followed by its word: `Select 12 in 10 kept 2 dropped 0 pending`. in = kept +
 * dropped + pending, and a stage's `in` is the previous stage's `kept`.
 */
export function funnelText(row: FunnelRow): string {
  return `${STAGE_LABELS[row.stage]} ${row.in} in ${row.kept} kept ${droppedTotal(row)} dropped ${row.pending} pending`;
}

/** Functions not yet accepted or dropped (waiting at some stage). */
export function pendingTotal(rows: readonly FunnelRow[]): number {
  return rows.reduce((sum, row) => sum + row.pending, 0);
}

/**
 * The function table's LLM filters: by verdict, by the stage a function stopped at (dropped or waiting
 * there), and by the judge's score of its chosen instruction (functions without one are left out).
 */
export type LlmFilter = {
  verdict: 'all' | FunctionVerdict['state'];
  stage: LlmStage | 'all';
  minScore: number | null;
};

export const NO_LLM_FILTER: LlmFilter = { verdict: 'all', stage: 'all', minScore: null };

export function isFiltering(filter: LlmFilter): boolean {
  return filter.verdict !== 'all' || filter.stage !== 'all' || filter.minScore !== null;
}

export function matchesLlm(
  filter: LlmFilter,
  verdict: FunctionVerdict | undefined,
  score: number | undefined,
): boolean {
  if (!isFiltering(filter)) return true;
  if (!verdict) return false;
  if (filter.verdict !== 'all' && verdict.state !== filter.verdict) return false;
  if (filter.stage !== 'all' && (verdict.state === 'accepted' || verdict.stage !== filter.stage)) return false;
  if (filter.minScore !== null && (score === undefined || score < filter.minScore)) return false;
  return true;
}

/** One stage of a function's record: its verdict, its output, and whether it counts (current fingerprint). */
export type StageRecord = { stage: LlmStage; row: StageRow; output: StageOutput | null; current: boolean };

/** A function's LLM pipeline record for the sample inspector, stages in pipeline order. */
export type PipelineRecord = { stages: StageRecord[]; calls: LlmCallRow[] };

export function pipelineRecord(
  detail: { stages: readonly StageRow[]; data: readonly StageDataRow[]; calls: readonly LlmCallRow[] },
  current: Record<LlmStage, string> | null,
): PipelineRecord {
  const outputs = new Map(detail.data.map((d) => [d.id, d.output]));
  const stages = [...detail.stages]
    .sort((a, b) => LLM_STAGES.indexOf(a.stage) - LLM_STAGES.indexOf(b.stage))
    .map((row) => ({
      stage: row.stage,
      row,
      output: outputs.get(row.id) ?? null,
      current: current !== null && row.fingerprint === current[row.stage],
    }));
  return { stages, calls: [...detail.calls].sort((a, b) => a.at - b.at) };
}
