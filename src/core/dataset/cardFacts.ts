/**
 * What the dataset card says about how the samples were made, read from storage: the project's counters
 * (natural mode's funnel), the LLM stages' funnel under the current fingerprints, the model, settings and
 * prompt versions, and the licences found in the folder. The export adds what it wrote (DatasetReport).
 */
import type { LicenseRow } from '../../domain/dataset.ts';
import type { FunnelRow, PipelineConfig } from '../../domain/pipeline.ts';
import type { ProjectCounts, ProjectRow } from '../../domain/records.ts';
import { INSTRUCT_PROMPT_VERSION } from '../instruct/index.ts';
import { JUDGE_PROMPT_VERSION } from '../judge/index.ts';
import { funnel } from '../pipeline/funnel.ts';
import type { StoragePort } from '../ports.ts';
import { PROBE_PROMPT_VERSION } from '../probe/index.ts';
import { SOLVE_PROMPT_VERSION } from '../solve/index.ts';

export type CardFacts = {
  name: string;
  origin: ProjectRow['origin'];
  counts: ProjectCounts;
  pipeline: PipelineConfig;
  /** Prompt versions of the LLM stages (the version is part of each stage's fingerprint). */
  prompts: { instruct: string; judge: string; probe: string; solve: string };
  /** The LLM stages' funnel under the project's current fingerprints; null in natural mode. */
  funnel: FunnelRow[] | null;
  /** Licence files and SPDX headers of the folder (texts left out: the card names them). */
  licenses: Omit<LicenseRow, 'text'>[];
  /** Duplicates among functions removed before the LLM stages, when the project has that phase. */
  dedup: { exact: number; near: number } | null;
};

export const PROMPT_VERSIONS = {
  instruct: INSTRUCT_PROMPT_VERSION,
  judge: JUDGE_PROMPT_VERSION,
  probe: PROBE_PROMPT_VERSION,
  solve: SOLVE_PROMPT_VERSION,
} as const;

export async function cardFacts(storage: StoragePort, project: ProjectRow): Promise<CardFacts> {
  const config = project.pipeline;
  let rows: FunnelRow[] | null = null;
  if (config.mode === 'llm' && config.fingerprints) {
    const [functions, verdicts] = await Promise.all([
      storage.pipelineFunctions(project.id),
      storage.stageVerdicts(project.id),
    ]);
    rows = funnel(
      functions.map((f) => f.id),
      verdicts,
      config.fingerprints,
    );
  }
  const licenses = (await storage.licenses(project.id)).map(({ text: _text, ...rest }) => rest);
  return {
    name: project.name,
    origin: project.origin,
    counts: project.counts,
    pipeline: config,
    prompts: { ...PROMPT_VERSIONS },
    funnel: rows,
    licenses,
    dedup: project.dedup ? { exact: project.dedup.exact, near: project.dedup.near } : null,
  };
}
