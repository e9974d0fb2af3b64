import { describe, expect, it } from 'vitest';
import { LLM_STAGES, type DropReason, type FunnelRow, type LlmStage } from '../../domain/pipeline.ts';
import type { StageVerdict } from '../ports.ts';
import { accepted, funnel, tokensPerSample } from './funnel.ts';

const CURRENT = Object.fromEntries(LLM_STAGES.map((s) => [s, `fp-${s}`])) as Record<LlmStage, string>;

function kept(functionId: string, stage: LlmStage, tokens = 0): StageVerdict {
  return { functionId, path: 'a.py', stage, fingerprint: CURRENT[stage], status: 'kept', reason: null, tokens };
}

function droppedAt(functionId: string, stage: LlmStage, reason: DropReason, tokens = 0): StageVerdict {
  return { functionId, path: 'a.py', stage, fingerprint: CURRENT[stage], status: 'dropped', reason, tokens };
}

/** A function kept by every stage up to (not including) `upTo`. */
function keptUntil(functionId: string, upTo: LlmStage | null): StageVerdict[] {
  const end = upTo === null ? LLM_STAGES.length : LLM_STAGES.indexOf(upTo);
  return LLM_STAGES.slice(0, end).map((stage) => kept(functionId, stage, 10));
}

/** The invariants every funnel satisfies. */
function expectAddsUp(rows: FunnelRow[], functions: number): void {
  rows.forEach((row, i) => {
    const dropped = Object.values(row.dropped).reduce((sum, n) => sum + n, 0);
    expect(row.in, row.stage).toBe(row.kept + dropped + row.pending);
    expect(row.in, row.stage).toBe(i === 0 ? functions : rows[i - 1]!.kept);
  });
}

const row = (rows: FunnelRow[], stage: LlmStage) => rows.find((r) => r.stage === stage)!;

describe('funnel', () => {
  it('follows each function to its first stage without a current "kept", and adds up', () => {
    const verdicts = [
      ...keptUntil('accepted', null),
      ...keptUntil('no-inputs', 'probe'),
      droppedAt('no-inputs', 'probe', 'no-inputs', 7),
      ...keptUntil('below', 'judge'),
      droppedAt('below', 'judge', 'below-threshold', 3),
      ...keptUntil('waiting', 'oracle'),
      droppedAt('select-io', 'select', 'io'),
    ];
    const ids = ['accepted', 'no-inputs', 'below', 'waiting', 'select-io', 'never-started'];
    const rows = funnel(ids, verdicts, CURRENT);
    expectAddsUp(rows, ids.length);
    expect(row(rows, 'select')).toMatchObject({ in: 6, kept: 4, dropped: { io: 1 }, pending: 1 });
    expect(row(rows, 'probe')).toMatchObject({ in: 4, kept: 3, dropped: { 'no-inputs': 1 }, pending: 0 });
    expect(row(rows, 'oracle')).toMatchObject({ in: 3, kept: 2, dropped: {}, pending: 1 });
    expect(row(rows, 'judge')).toMatchObject({ in: 2, kept: 1, dropped: { 'below-threshold': 1 } });
    expect(row(rows, 'verify')).toMatchObject({ in: 1, kept: 1, pending: 0 });
    expect(accepted(rows)).toBe(1);
  });

  it('counts a verdict with another fingerprint as pending, and ignores the stages after it', () => {
    const stale = { ...kept('f', 'instruct'), fingerprint: 'old' };
    const verdicts = [
      ...keptUntil('f', 'instruct'),
      stale,
      kept('f', 'judge'),
      kept('f', 'solve'),
      kept('f', 'verify'),
    ];
    const rows = funnel(['f'], verdicts, CURRENT);
    expectAddsUp(rows, 1);
    expect(row(rows, 'instruct')).toMatchObject({ in: 1, kept: 0, pending: 1 });
    for (const stage of ['judge', 'solve', 'verify'] as const) expect(row(rows, stage).in).toBe(0);
    expect(accepted(rows)).toBe(0);
  });

  it('counts a stale drop as pending too (the stage will be decided again)', () => {
    const verdicts = [
      ...keptUntil('f', 'judge'),
      { ...droppedAt('f', 'judge', 'below-threshold'), fingerprint: 'old' },
    ];
    const rows = funnel(['f'], verdicts, CURRENT);
    expect(row(rows, 'judge')).toMatchObject({ in: 1, kept: 0, dropped: {}, pending: 1 });
  });

  it('leaves out verdicts of functions it was not given (a deleted file) and sums tokens of the stages reached', () => {
    const verdicts = [...keptUntil('f', null), ...keptUntil('gone', null)];
    const rows = funnel(['f'], verdicts, CURRENT);
    expectAddsUp(rows, 1);
    expect(row(rows, 'verify').kept).toBe(1);
    expect(rows.reduce((sum, r) => sum + r.tokens, 0)).toBe(70);
    expect(tokensPerSample(rows)).toBe(70);
  });

  it('has no tokens per sample before the first sample', () => {
    const rows = funnel(['f'], [droppedAt('f', 'select', 'generator')], CURRENT);
    expect(accepted(rows)).toBe(0);
    expect(tokensPerSample(rows)).toBeNull();
  });

  it('adds up on many random projects', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let project = 0; project < 50; project++) {
      const ids = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) => `f${i}`);
      const verdicts: StageVerdict[] = [];
      for (const id of ids)
        for (const stage of LLM_STAGES) {
          const roll = random();
          if (roll < 0.1) break;
          const verdict = roll < 0.2 ? droppedAt(id, stage, 'llm-refused') : kept(id, stage);
          verdicts.push(roll > 0.95 ? { ...verdict, fingerprint: 'stale' } : verdict);
          if (roll < 0.2) break;
        }
      expectAddsUp(funnel(ids, verdicts, CURRENT), ids.length);
    }
  });
});
