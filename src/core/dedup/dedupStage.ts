/**
 * The dedup phase, between extraction and the doctests (so no GPU time goes to copies): every function of
 * the extracted files is normalised in Python (semiverse_normalise.py: its AST's hash and its tokens, one
 * call per file), then clustered here, exact then near (layered.ts), and the clusters are stored as dedup
 * rows. Invariants:
 * - the phase always recomputes from the stored files (normalising is a parse per file, clustering
 *   seconds): a reload mid-phase simply runs it again, and the result does not depend on where it stopped;
 * - rows are written in batches, each replacing earlier rows of its functions in one transaction; rows of
 *   functions no longer in a cluster are removed; a function whose representative changed loses its select
 *   verdict there too (StoragePort.saveDedup), so the LLM stages decide it again;
 * - a file that cannot be normalised (a timeout, a forged reply) leaves its functions out of dedup, it
 *   does not stop the run; Python that cannot run at all does (PythonUnavailableError).
 */
import { SCHEMA_VERSION, type ProjectRow } from '../../domain/records.ts';
import type { DedupRow, DedupSummary } from '../../domain/dataset.ts';
import type { ExtractedFunction } from '../../domain/extract.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import type { PendingFunction, PythonPort, StoragePort } from '../ports.ts';
import { PythonUnavailableError } from '../run/errors.ts';
import { layeredDedupAsync, type DedupInput, type Placement } from './layered.ts';
import { dedupSettingsOf } from './settings.ts';
import { shingles } from './shingles.ts';

/** Rows per write transaction (IndexedDB: ~0.05 ms a row in bulk, so each commits quickly). */
const WRITE_BATCH = 2_000;
/** The project row (the progress bar) is updated at most this often while files are normalised. */
const PROGRESS_MS = 1_000;

type Meta = { id: string; path: string; qualname: string; lineno: number };

export async function dedupStage(
  storage: StoragePort,
  python: PythonPort,
  project: ProjectRow,
  signal?: AbortSignal,
): Promise<DedupSummary> {
  const settings = dedupSettingsOf(project);
  const functions = await storage.pipelineFunctions(project.id);
  const files = byFile(functions);
  const summary: DedupSummary = {
    settings,
    files: files.length,
    filesDone: 0,
    functions: functions.length,
    clusters: 0,
    exact: 0,
    near: 0,
    finishedAt: null,
  };
  await storage.updateProject(project.id, { dedup: { ...summary } });

  const inputs: DedupInput[] = functions.map(() => ({
    hash: null,
    shingles: null,
    standalone: false,
    examples: 0,
    hasProse: false,
  }));
  const meta: Meta[] = functions.map(({ id, path }) => ({ id, path, qualname: '', lineno: 0 }));
  let reported = Date.now();
  await forEachConcurrent(
    files,
    python.size * 2,
    async ({ path, positions }) => {
      const [source, text] = await Promise.all([
        storage.fileSource(project.id, path),
        storage.fileText(project.id, path),
      ]);
      const fns = positions.map((at) => source?.fns[functions[at]!.index]);
      for (const [k, at] of positions.entries()) describe(inputs[at]!, meta[at]!, fns[k]);
      if (text && fns.every((fn) => fn)) {
        const linenos = fns.map((fn) => fn!.lineno);
        const reply = await python.normalise({ text: text.text, linenos }, signal);
        if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
        if (reply.ok)
          for (const [k, at] of positions.entries()) {
            const normalised = reply.functions[k];
            if (!normalised) continue;
            inputs[at]!.hash = normalised.hash;
            inputs[at]!.shingles = shingles(normalised.tokens);
          }
      }
      summary.filesDone += 1;
      if (Date.now() - reported >= PROGRESS_MS) {
        reported = Date.now();
        await storage.updateProject(project.id, { dedup: { ...summary } });
      }
    },
    signal,
  );

  const { placements, stats } = await layeredDedupAsync(inputs, settings, signal);
  const rows = placements.flatMap((place, i) => (place ? [toRow(project.id, meta, i, place)] : []));
  const kept = new Set(rows.map((row) => row.functionId));
  const gone = (await storage.dedupRows(project.id)).map((row) => row.functionId).filter((id) => !kept.has(id));
  for (let start = 0; start < Math.max(rows.length, gone.length); start += WRITE_BATCH) {
    signal?.throwIfAborted();
    await storage.saveDedup(project.id, rows.slice(start, start + WRITE_BATCH), gone.slice(start, start + WRITE_BATCH));
  }
  const done: DedupSummary = {
    ...summary,
    clusters: stats.clusters,
    exact: stats.exact,
    near: stats.near,
    finishedAt: Date.now(),
  };
  await storage.updateProject(project.id, { dedup: done });
  return done;
}

/** Functions grouped by file, in file order, with their positions in the project's list. */
function byFile(functions: readonly PendingFunction[]): { path: string; positions: number[] }[] {
  const files: { path: string; positions: number[] }[] = [];
  functions.forEach((fn, at) => {
    const last = files[files.length - 1];
    if (last?.path === fn.path) last.positions.push(at);
    else files.push({ path: fn.path, positions: [at] });
  });
  return files;
}

function describe(input: DedupInput, meta: Meta, fn: ExtractedFunction | undefined): void {
  if (!fn) return;
  meta.qualname = fn.qualname;
  meta.lineno = fn.lineno;
  input.standalone = fn.kind !== 'nested' && fn.program !== null && fn.blockers.length === 0;
  input.examples = fn.examples.length;
  input.hasProse = (fn.prose ?? '').trim().length > 0;
}

function toRow(projectId: string, meta: readonly Meta[], i: number, place: Placement): DedupRow {
  const { id, path, qualname, lineno } = meta[i]!;
  const base = { functionId: id, projectId, path, schemaVersion: SCHEMA_VERSION, qualname, lineno, size: place.size };
  if (place.role === 'representative')
    return { ...base, duplicateOf: null, kind: null, similarity: null, matched: null };
  return {
    ...base,
    duplicateOf: meta[place.of]!.id,
    kind: place.kind,
    similarity: round(place.similarity),
    matched: { functionId: meta[place.matched]!.id, similarity: round(place.matchedSimilarity) },
  };
}

/** Estimates are multiples of 1/numPerm: three decimals say all of it that matters. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
