/**
 * One function through the LLM stages, in order, each stage skipped when a verdict with the current
 * fingerprint is stored (a reload, a pause, a changed parameter further down). A stage's verdict and
 * output are stored before the next stage starts, so a cancellation loses at most the stage in flight
 * (and not its LLM answers: those are stored as they come, see llmRunner.ts).
 */
import { LLM_STAGES, type LlmStage, type StageRow } from '../../domain/pipeline.ts';
import { SCHEMA_VERSION } from '../../domain/records.ts';
import type { StoragePort } from '../ports.ts';
import type { Fingerprints } from './fingerprints.ts';
import type { Earlier, FunctionInput, Stage, StageDeps } from './stage.ts';
import { instruct } from './stages/instruct.ts';
import { judge } from './stages/judge.ts';
import { oracle } from './stages/oracle.ts';
import { probe } from './stages/probe.ts';
import { select } from './stages/select.ts';
import { solve } from './stages/solve.ts';
import { verify } from './stages/verify.ts';

export const STAGES: Record<LlmStage, Stage> = { select, probe, oracle, instruct, judge, solve, verify };

export function stageId(functionId: string, stage: LlmStage): string {
  return `${functionId}#${stage}`;
}

/** Resolves with the last stage it reached and whether the function was kept to the end. */
export async function runFunction(
  storage: StoragePort,
  input: FunctionInput,
  fingerprints: Fingerprints,
  deps: StageDeps,
): Promise<{ stage: LlmStage; accepted: boolean }> {
  const stored = new Map((await storage.stageRows(input.functionId)).map((row) => [row.stage, row]));
  const current = LLM_STAGES.map((stage) => stored.get(stage)).filter(
    (row): row is StageRow => row !== undefined && row.fingerprint === fingerprints[row.stage] && row.status === 'kept',
  );
  const data = new Map(
    (await storage.stageData(current.map((row) => row.id))).flatMap((d) => (d ? [[d.id, d.output]] : [])),
  );
  const earlier: Earlier = {};
  for (const stage of LLM_STAGES) {
    deps.signal?.throwIfAborted();
    const row = stored.get(stage);
    if (row && row.fingerprint === fingerprints[stage]) {
      if (row.status === 'dropped') return { stage, accepted: false };
      const output = data.get(row.id);
      if (output && output.stage === stage) {
        (earlier as Record<string, unknown>)[stage] = output;
        continue;
      }
    }
    const started = performance.now();
    const result = await STAGES[stage](input, earlier, deps);
    const id = stageId(input.functionId, stage);
    const verdict: StageRow = {
      id,
      projectId: input.projectId,
      functionId: input.functionId,
      path: input.path,
      stage,
      schemaVersion: SCHEMA_VERSION,
      fingerprint: fingerprints[stage],
      status: result.status,
      reason: result.reason,
      detail: result.detail,
      tokens: result.tokens,
      ms: Math.round(performance.now() - started),
      finishedAt: Date.now(),
    };
    const output = result.output && {
      id,
      projectId: input.projectId,
      schemaVersion: SCHEMA_VERSION,
      output: result.output,
    };
    await storage.saveStage(verdict, output);
    if (result.status === 'dropped') return { stage, accepted: false };
    (earlier as Record<string, unknown>)[stage] = result.output;
  }
  return { stage: 'verify', accepted: true };
}
