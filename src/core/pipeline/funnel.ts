/**
 * The funnel: for each LLM stage, how many functions reached it, were kept, were dropped (by reason), and
 * are still waiting, counting only verdicts with the current fingerprints. Each function is followed
 * through the stages in order and stops at its first stage without a current "kept", so the numbers add
 * up by construction: in = kept + dropped + pending, and each stage's `in` is the previous one's `kept`.
 */
import { LLM_STAGES, type FunnelRow, type LlmStage } from '../../domain/pipeline.ts';
import type { StageVerdict } from '../ports.ts';

export function funnel(
  functions: readonly string[],
  verdicts: readonly StageVerdict[],
  current: Record<LlmStage, string>,
): FunnelRow[] {
  const rows: FunnelRow[] = LLM_STAGES.map((stage) => ({ stage, in: 0, kept: 0, dropped: {}, pending: 0, tokens: 0 }));
  const byFunction = new Map<string, Map<LlmStage, StageVerdict>>();
  for (const v of verdicts) {
    if (v.fingerprint !== current[v.stage]) continue;
    let stages = byFunction.get(v.functionId);
    if (!stages) byFunction.set(v.functionId, (stages = new Map()));
    stages.set(v.stage, v);
  }
  for (const id of functions) {
    const stages = byFunction.get(id);
    for (const [i, stage] of LLM_STAGES.entries()) {
      const row = rows[i]!;
      row.in += 1;
      const v = stages?.get(stage);
      if (!v) {
        row.pending += 1;
        break;
      }
      row.tokens += v.tokens;
      if (v.status === 'kept') {
        row.kept += 1;
        continue;
      }
      const reason = v.reason ?? 'llm-refused';
      row.dropped[reason] = (row.dropped[reason] ?? 0) + 1;
      break;
    }
  }
  return rows;
}

/** The last stage's kept count: samples accepted. */
export function accepted(rows: readonly FunnelRow[]): number {
  return rows.at(-1)?.kept ?? 0;
}

/** LLM tokens spent per accepted sample (all stages, dropped functions included), or null before the first. */
export function tokensPerSample(rows: readonly FunnelRow[]): number | null {
  const samples = accepted(rows);
  return samples === 0 ? null : rows.reduce((sum, r) => sum + r.tokens, 0) / samples;
}
