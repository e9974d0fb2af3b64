/**
 * Import a JSONL exported earlier (by this app; perhaps edited by hand, or several merged) into a new
 * project or into an open one, so a dataset can be merged, deduplicated and exported again. Invariants:
 * - all or nothing. The file is read as a stream twice. The first pass checks every line (parseLine.ts)
 *   and writes nothing: if any line is bad, the result is how many, and the first MAX_REPORTED with their
 *   line number, field and reason. Only when every line is good is the file read again and stored, in one
 *   transaction with the new project's row (StoragePort.saveImport): a failure at any point (no space left,
 *   a cancel, a file that changed on disk since the first pass) leaves nothing of it stored. (One pass
 *   would hold the transaction, and with it the table, while every bad line of a big file is found.)
 * - `id` is unique in a project: a line whose id is on an earlier line, among the project's imported lines
 *   or among its own samples is bad, unless its record is the same (then it is stored once);
 * - memory holds a batch of lines and, per id seen, a 53-bit hash of its record (about 150 bytes a line),
 *   never the file: a 1 GiB file is read 64 KiB at a time.
 */
import { SCHEMA_VERSION, emptyCounts, type ProjectRow } from '../../domain/records.ts';
import type { ImportedRow } from '../../domain/dataset.ts';
import type { StoragePort } from '../ports.ts';
import { DEFAULT_TIMEOUT_MS } from '../run/runProject.ts';
import { ownSamples, recordHash } from './ownSamples.ts';
import { canonicalJson, parseLine, type ImportRecord, type LineProblem } from './parseLine.ts';
import { readLines } from './readLines.ts';

/** 1 GiB: the largest file imported (an export of a few hundred thousand samples is well under it). */
export const MAX_FILE_BYTES = 2 ** 30;
/** Bad lines listed in a report; the rest are counted. */
export const MAX_REPORTED = 100;
/** Lines per batch, or fewer when they hold more than BATCH_CHARS: one bulkGet and one bulkPut each. */
const BATCH_LINES = 500;
const BATCH_CHARS = 8 << 20;

/** What the browser hands over (a File), or anything with its name, size and a byte stream. */
export type ImportSource = { name: string; size: number; stream(): ReadableStream<Uint8Array> };

/** A new project (origin 'import', named after the file), or one that exists. */
export type ImportTarget = { kind: 'new'; projectId: string; now: number } | { kind: 'merge'; projectId: string };

/** A bad line: its number (from 1; 0 is the file as a whole), the field's path (null: the line) and why. */
export type ImportProblem = { line: number } & LineProblem;

export type ImportProgress = { stage: 'checking' | 'storing'; bytes: number; total: number };

/**
 * `lines`: the file's non-blank lines. `added`: lines stored; `same`: lines whose very record the project
 * (or an earlier line) already held, stored once. `screen`: the project now waits in its screening phase
 * (a new one, or a finished one that got new samples): the caller runs it (runProject resumes there).
 */
export type ImportResult =
  | { ok: true; projectId: string; lines: number; added: number; same: number; screen: boolean }
  | { ok: false; problems: ImportProblem[]; count: number; lines: number };

export type ImportOptions = { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal };

export function importedKey(projectId: string, id: string): string {
  return `${projectId}|${id}`;
}

/**
 * Check, then store. Resolves with the bad lines when there are any (nothing stored); rejects with a
 * StorageError when storing fails (nothing stored), and with an AbortError when cancelled.
 */
export async function importJsonl(
  storage: StoragePort,
  file: ImportSource,
  target: ImportTarget,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { projectId } = target;
  const project = target.kind === 'merge' ? await storage.project(projectId) : null;
  if (target.kind === 'merge' && !project)
    return refused({ line: 0, field: null, reason: 'the project to import into is gone (deleted?)' }, 0);
  const own = project ? await ownSamples(storage, project, options.signal) : new Map<string, string[]>();
  const checked = await check(storage, file, projectId, project !== null, own, options);
  if (checked.count > 0) return { ok: false, problems: checked.problems, count: checked.count, lines: checked.lines };
  const now = target.kind === 'new' ? target.now : Date.now();
  const importId = `${new Date(now).toISOString()} ${file.name}`;
  const row = target.kind === 'new' ? importedProject(projectId, importedName(file.name), now) : null;
  try {
    const { added, same } = await store(storage, file, projectId, importId, own, row, options);
    const screen = row !== null || (added > 0 && (await rescreen(storage, projectId)));
    return { ok: true, projectId, lines: checked.lines, added, same, screen };
  } catch (error) {
    if (error instanceof Refused) return refused(error.problem, checked.lines);
    throw error;
  }
}

/** A new project's name: the file's, without `.jsonl` and without the export's `semiverse-` and date. */
export function importedName(fileName: string): string {
  const base = fileName.replace(/\.(jsonl|ndjson|json|txt)$/i, '');
  const exported = /^semiverse-(.+)-\d{4}-\d{2}-\d{2}$/.exec(base);
  return (exported ? exported[1]! : base).trim() || 'imported';
}

/**
 * The row of a project made by an import: its samples are its lines, so all there is to run is the
 * screening phase (benchmarks, secrets, personal data, Python version: core/screen), where it starts.
 */
export function importedProject(id: string, name: string, now: number): ProjectRow {
  return {
    id,
    schemaVersion: SCHEMA_VERSION,
    name,
    origin: 'import',
    createdAt: now,
    updatedAt: now,
    phase: 'screening',
    ingestComplete: true,
    notice: null,
    settings: { timeoutMs: DEFAULT_TIMEOUT_MS },
    pipeline: { mode: 'natural' },
    counts: emptyCounts(),
    localModules: [],
    startedAt: now,
    finishedAt: null,
  };
}

/**
 * A finished project that got new samples goes back to its screening phase, so the screens see them; one
 * still running (or stopped, or waiting for an engine) screens them when its run gets there.
 */
async function rescreen(storage: StoragePort, projectId: string): Promise<boolean> {
  const project = await storage.project(projectId);
  if (project?.phase !== 'done') return false;
  await storage.updateProject(projectId, { phase: 'screening', finishedAt: null });
  return true;
}

/** The bad lines found: every one counted, the first MAX_REPORTED kept. */
class Problems {
  readonly problems: ImportProblem[] = [];
  count = 0;
  add(problem: ImportProblem): void {
    this.count += 1;
    if (this.problems.length < MAX_REPORTED) this.problems.push(problem);
  }
}

/** The first pass: every line checked, nothing written. */
async function check(
  storage: StoragePort,
  file: ImportSource,
  projectId: string,
  merge: boolean,
  own: Map<string, string[]>,
  { onProgress, signal }: ImportOptions,
): Promise<{ problems: ImportProblem[]; count: number; lines: number }> {
  const found = new Problems();
  if (file.size > MAX_FILE_BYTES) {
    found.add({ line: 0, field: null, reason: `larger than 1 GiB (${file.size} bytes): import it in parts` });
    return { problems: found.problems, count: found.count, lines: 0 };
  }
  const seen = new Map<string, { line: number; hash: string }>();
  // Lines to compare with the project's imported ones, a batch at a time: ids and hashes only.
  let pending: { line: number; id: string; hash: string }[] = [];
  const compare = async (): Promise<void> => {
    const stored = await storage.importedRows(pending.map((p) => importedKey(projectId, p.id)));
    pending.forEach((p, i) => {
      const before = stored[i];
      if (before && recordHash(before.record) !== p.hash)
        found.add({
          line: p.line,
          field: 'id',
          reason: `the project already holds another sample with this id (${from(before)})`,
        });
    });
    pending = [];
  };
  let lines = 0;
  const progress = (bytes: number): void => onProgress?.({ stage: 'checking', bytes, total: file.size });
  for await (const raw of readLines(file.stream(), progress, signal)) {
    lines += 1;
    if ('problem' in raw) {
      found.add({ line: raw.line, field: null, reason: raw.problem });
      continue;
    }
    const parsed = parseLine(raw.text);
    if (!parsed.ok) {
      found.add({ line: raw.line, ...parsed.problem });
      continue;
    }
    const { id } = parsed.record;
    const hash = recordHash(parsed.record);
    const first = seen.get(id);
    if (first) {
      if (first.hash !== hash)
        found.add({ line: raw.line, field: 'id', reason: `the same id as line ${first.line}, with other content` });
      continue;
    }
    seen.set(id, { line: raw.line, hash });
    const mine = own.get(id);
    if (mine && !mine.includes(hash))
      found.add({
        line: raw.line,
        field: 'id',
        reason: 'the project has a sample of its own with this id, with other content',
      });
    if (merge && !mine) pending.push({ line: raw.line, id, hash });
    if (pending.length >= BATCH_LINES) await compare();
  }
  if (pending.length > 0) await compare();
  if (lines === 0) found.add({ line: 0, field: null, reason: 'the file holds no samples' });
  return { problems: found.problems, count: found.count, lines };
}

/** The second pass: the same lines, stored in one transaction. */
async function store(
  storage: StoragePort,
  file: ImportSource,
  projectId: string,
  importId: string,
  own: Map<string, string[]>,
  project: ProjectRow | null,
  { onProgress, signal }: ImportOptions,
): Promise<{ added: number; same: number }> {
  let added = 0;
  let same = 0;
  const progress = (bytes: number): void => onProgress?.({ stage: 'storing', bytes, total: file.size });
  async function* batches(): AsyncGenerator<ImportedRow[]> {
    let batch: ImportedRow[] = [];
    let chars = 0;
    for await (const raw of readLines(file.stream(), progress, signal)) {
      const parsed = 'problem' in raw ? null : parseLine(raw.text);
      if (!parsed?.ok) {
        const problem = parsed ? parsed.problem : { field: null, reason: (raw as { problem: string }).problem };
        throw new Refused({
          line: raw.line,
          field: problem.field,
          reason: `the file changed since it was checked: ${problem.reason}`,
        });
      }
      const { record } = parsed;
      // The project's own sample, the same record (the first pass made sure): it stays the project's.
      if (own.has(record.id)) {
        same += 1;
        continue;
      }
      const key = importedKey(projectId, record.id);
      batch.push({ key, projectId, id: record.id, importId, line: raw.line, schemaVersion: SCHEMA_VERSION, record });
      chars += 'text' in raw ? raw.text.length : 0;
      if (batch.length >= BATCH_LINES || chars >= BATCH_CHARS) {
        yield batch;
        batch = [];
        chars = 0;
      }
    }
    if (batch.length > 0) yield batch;
  }
  // Stored rows include those of earlier batches of this import; an id stored by someone else between the
  // two passes (another tab) with another record is refused, and the whole import with it.
  const admit = (rows: ImportedRow[], stored: (ImportedRow | undefined)[]): ImportedRow[] => {
    const fresh = new Map<string, ImportedRow>();
    rows.forEach((row, i) => {
      const before = stored[i] ?? fresh.get(row.key);
      if (!before) {
        fresh.set(row.key, row);
        return;
      }
      if (canonicalJson(before.record) !== canonicalJson(row.record))
        throw new Refused({
          line: row.line,
          field: 'id',
          reason: `another sample with this id was stored meanwhile (${from(before)})`,
        });
      same += 1;
    });
    added += fresh.size;
    return [...fresh.values()];
  };
  await storage.saveImport(projectId, batches(), admit, project);
  return { added, same };
}

/** A line refused while storing: the import stops and nothing of it is kept. */
class Refused extends Error {
  override name = 'ImportRefused';
  constructor(readonly problem: ImportProblem) {
    super(problem.reason);
  }
}

function refused(problem: ImportProblem, lines: number): ImportResult {
  return { ok: false, problems: [problem], count: 1, lines };
}

function from(row: ImportedRow): string {
  return row.importId.includes(' ')
    ? `line ${row.line} of ${row.importId.slice(row.importId.indexOf(' ') + 1)}`
    : `line ${row.line}`;
}
