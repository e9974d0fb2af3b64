/**
 * The screening phase: every sample of the project (natural, LLM, imported) is screened for benchmark
 * contamination, secrets and personal data, the oldest Python that parses it, and instructions repeated
 * across the dataset; what is found is stored per sample (FindingsRow), and the export decides from that.
 * Invariants:
 * - a sample is screened again only when its content changed: its row carries a key of instruction,
 *   response, tests and original code (core/dataset/choices.ts contentKey), so a resumed or repeated
 *   screening redoes nothing else, and a sample that changed is never judged by an old screening;
 * - an LLM sample is screened with the verified solution AND its original code (its raw line carries both,
 *   and the person may export either), its findings merged, its Python version the newer of the two;
 * - memory holds a page of samples, plus every sample's id and instruction (duplicate instructions are a
 *   property of the whole dataset: about 0.5 KB per sample);
 * - a screening of a sample that left the dataset (a file changed, the LLM stages ran with other settings)
 *   is deleted at the end, so the Findings view lists only samples that exist.
 */
import type { Finding, FindingsRow, Sample } from '../../domain/dataset.ts';
import { SCHEMA_VERSION } from '../../domain/records.ts';
import type { ProjectRow } from '../../domain/records.ts';
import { stableJson } from '../../lib/hash.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import { contentKey, newerVersion } from '../dataset/choices.ts';
import type { Redaction } from '../dataset/exportDataset.ts';
import { withResponse } from '../dataset/formats.ts';
import { ALL_SAMPLES, originalCode, projectSamples } from '../dataset/samples.ts';
import { instructionDuplicates } from '../dedup/instructionDuplicates.ts';
import type { PythonPort, StoragePort } from '../ports.ts';
import { loadBenchmarkIndex, redact, screenSample as findingsOf, type BenchmarkIndex } from './index.ts';

/** What screening needs: the screens themselves (core/screen), Python's grammar, and instruction dedup. */
export type Screens = Redaction & {
  /** The oldest of 3.8–3.14 whose grammar accepts every source (nothing is run), or null when none does. */
  pythonVersion(sources: readonly string[], signal?: AbortSignal): Promise<string | null>;
  /** Of samples whose instructions repeat another's: the id of the one kept, and how alike they are. */
  duplicates(items: readonly { id: string; instruction: string }[]): Map<string, { of: string; jaccard: number }>;
  /** How many Python calls to keep in flight. */
  readonly concurrency: number;
};

/** The screens on a run's Python (a project's code never shares a worker with another's). */
export type ScreensFor = (python: PythonPort) => Promise<Screens>;

/**
 * The app's screens: screenSample and redact (core/screen), the benchmark index (built with the app,
 * loaded once), Python's grammar on the run's workers, and instruction dedup (core/dedup). Representatives
 * of repeated instructions are the first in sample order (natural before LLM samples of a file).
 */
export const defaultScreens: ScreensFor | null = (python) => screensWith(loadBenchmarkIndex)(python);

/** The app's screens with the benchmark index from `load` (Node, where no build made the app's: tsx benches). */
export const screensWith =
  (load: () => Promise<BenchmarkIndex>): ScreensFor =>
  async (python) => {
    const index = await load();
    return {
      concurrency: python.size,
      screen: (sample) => findingsOf(sample, index),
      redact: (sample, findings) => redact(sample, findings),
      pythonVersion: (sources, signal) => python.pythonVersion(sources, signal),
      duplicates: (items) => instructionDuplicates(items.map(({ id, instruction }) => ({ id, text: instruction }))),
    };
  };

export type ScreenProgress = { samples: number; screened: number };

export type ScreenReport = ScreenProgress & { duplicates: number; pruned: number };

/** Rows read and written per batch in the duplicate pass. */
const BATCH = 500;

export async function screenStage(
  storage: StoragePort,
  project: ProjectRow,
  screens: Screens,
  signal?: AbortSignal,
  onProgress?: (progress: ScreenProgress) => void,
): Promise<ScreenReport> {
  const progress: ScreenProgress = { samples: 0, screened: 0 };
  const ids: string[] = [];
  const instructions: { id: string; instruction: string }[] = [];
  for await (const page of projectSamples(storage, project, ALL_SAMPLES, signal)) {
    const rows = await storage.findings(
      project.id,
      page.samples.map((s) => s.id),
    );
    const stale = page.samples.flatMap((sample, i) => {
      const key = contentKey(sample);
      return rows[i]?.contentKey === key ? [] : [{ sample, key, old: rows[i] }];
    });
    const fresh: FindingsRow[] = [];
    await forEachConcurrent(
      stale,
      screens.concurrency,
      async ({ sample, key, old }) => {
        const screened = await screenBoth(sample, screens, signal);
        // The duplicate pass below recomputes these; until then the old verdict stands.
        const kept = old?.findings.filter((f) => f.kind === 'duplicate-instruction') ?? [];
        fresh.push(row(project.id, sample, key, [...screened.findings, ...kept], screened.pythonVersion));
      },
      signal,
    );
    await storage.saveFindings(fresh);
    for (const sample of page.samples) {
      ids.push(sample.id);
      instructions.push({ id: sample.id, instruction: sample.instruction });
    }
    progress.samples += page.samples.length;
    progress.screened += fresh.length;
    onProgress?.({ ...progress });
  }
  signal?.throwIfAborted();
  const duplicates = screens.duplicates(instructions);
  instructions.length = 0;
  await markDuplicates(storage, project.id, ids, duplicates, signal);
  const pruned = await storage.pruneFindings(project.id, new Set(ids));
  return { ...progress, duplicates: duplicates.size, pruned };
}

/** One sample's findings (both codes of an LLM sample, merged) and the Python version it needs. */
async function screenBoth(
  sample: Sample,
  screens: Screens,
  signal?: AbortSignal,
): Promise<{ findings: Finding[]; pythonVersion: string | null }> {
  const variants = originalCode(sample) === null ? [sample] : [sample, withResponse(sample, 'original')];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  let pythonVersion: string | null | undefined;
  for (const variant of variants) {
    for (const finding of screens.screen(variant)) {
      const key = stableJson(finding);
      if (!seen.has(key)) findings.push(finding);
      seen.add(key);
    }
    const version = await screens.pythonVersion([variant.response, ...variant.tests], signal);
    pythonVersion = pythonVersion === undefined ? version : newerVersion(pythonVersion, version);
  }
  return { findings, pythonVersion: pythonVersion ?? null };
}

/** Bring each row's duplicate-instruction finding in line with this screening's (rows that change only). */
async function markDuplicates(
  storage: StoragePort,
  projectId: string,
  ids: readonly string[],
  duplicates: ReadonlyMap<string, { of: string; jaccard: number }>,
  signal?: AbortSignal,
): Promise<void> {
  for (let start = 0; start < ids.length; start += BATCH) {
    signal?.throwIfAborted();
    const rows = await storage.findings(projectId, ids.slice(start, start + BATCH));
    const changed = rows.flatMap((stored) => {
      if (!stored) return [];
      const match = duplicates.get(stored.sampleId);
      const want: Finding[] = match ? [{ kind: 'duplicate-instruction', of: match.of, jaccard: match.jaccard }] : [];
      const have = stored.findings.filter((f) => f.kind === 'duplicate-instruction');
      if (stableJson(have) === stableJson(want)) return [];
      const others = stored.findings.filter((f) => f.kind !== 'duplicate-instruction');
      return [{ ...stored, findings: [...others, ...want] }];
    });
    await storage.saveFindings(changed);
  }
}

function row(
  projectId: string,
  sample: Sample,
  key: string,
  findings: Finding[],
  pythonVersion: string | null,
): FindingsRow {
  return {
    key: `${projectId}|${sample.id}`,
    projectId,
    sampleId: sample.id,
    path: sample.path,
    schemaVersion: SCHEMA_VERSION,
    contentKey: key,
    findings,
    pythonVersion,
  };
}
