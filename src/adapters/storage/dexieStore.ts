/**
 * StoragePort over Dexie. Counters live on the project row and change only in the transaction that writes
 * what they count, computed from what was there before (a re-written row moves no counter), so they stay
 * exact across reloads, resumes and a second tab. Nothing but Dexie work is awaited inside a transaction.
 */
import Dexie from 'dexie';
import type { ExportItem, FileExtraction, StoragePort } from '../../core/ports.ts';
import { StorageError } from '../../domain/errors.ts';
import type { FileRow, FunctionRow, OutcomeRow, ProjectCounts, ProjectRow, SkipRow, SourceRow, TextRow } from '../../domain/records.ts';
import type { FunctionStatus } from '../../domain/verify.ts';
import { SemiverseDb } from './db.ts';

export class DexieStore implements StoragePort {
  constructor(readonly db: SemiverseDb) {}

  createProject(project: ProjectRow): Promise<void> {
    return guard(this.db.projects.add(project).then(() => undefined));
  }

  project(id: string): Promise<ProjectRow | undefined> {
    return guard(this.db.projects.get(id));
  }

  latestProject(): Promise<ProjectRow | undefined> {
    return guard(this.db.projects.orderBy('updatedAt').last());
  }

  updateProject(id: string, patch: Partial<Omit<ProjectRow, 'id' | 'counts'>>): Promise<void> {
    return guard(this.db.projects.update(id, { ...patch, updatedAt: Date.now() }).then(() => undefined));
  }

  deleteProject(id: string): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.texts, db.skipped, db.functions, db.sources, db.outcomes], async () => {
        const ofProject: [[string, unknown], [string, unknown]] = [[id, Dexie.minKey], [id, Dexie.maxKey]];
        await db.files.where('[projectId+path]').between(...ofProject).delete();
        await db.texts.where('[projectId+path]').between(...ofProject).delete();
        await Promise.all([
          db.skipped.where('projectId').equals(id).delete(),
          db.functions.where('projectId').equals(id).delete(),
          db.sources.where('projectId').equals(id).delete(),
          db.outcomes.where('projectId').equals(id).delete(),
        ]);
        await db.projects.delete(id);
      }),
    );
  }

  saveIngestBatch(projectId: string, files: { row: FileRow; text: TextRow }[], skips: SkipRow[], seen: number): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.texts, db.skipped], async () => {
        const fileKeys = files.map((f): [string, string] => [projectId, f.row.path]);
        const skipKeys = skips.map((s): [string, string] => [projectId, s.path]);
        const [oldFiles, oldSkips] = await Promise.all([db.files.bulkGet(fileKeys), db.skipped.bulkGet(skipKeys)]);
        await Promise.all([
          db.files.bulkPut(files.map((f) => f.row)),
          db.texts.bulkPut(files.map((f) => f.text)),
          db.skipped.bulkPut(skips),
        ]);
        await bump(db, projectId, (c) => {
          c.seen = Math.max(c.seen, seen);
          c.filesAccepted += oldFiles.filter((f) => !f).length;
          c.filesSkipped += oldSkips.filter((s) => !s).length;
        });
      }),
    );
  }

  pendingFiles(projectId: string): Promise<string[]> {
    return guard(
      this.db.files
        .where('[projectId+state]')
        .equals([projectId, 'pending'])
        .primaryKeys()
        .then((keys) => keys.map(([, path]) => path)),
    );
  }

  filePaths(projectId: string): Promise<string[]> {
    return guard(
      this.db.files
        .where('[projectId+path]')
        .between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
        .primaryKeys()
        .then((keys) => keys.map(([, path]) => path)),
    );
  }

  fileText(projectId: string, path: string): Promise<TextRow | undefined> {
    return guard(this.db.texts.get([projectId, path]));
  }

  saveExtractions(projectId: string, results: FileExtraction[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.functions, db.sources, db.outcomes], async () => {
        const current = await db.files.bulkGet(results.map((r): [string, string] => [projectId, r.path]));
        // A file already extracted (by another tab, or before a reload) keeps its first result.
        const fresh = results.flatMap((result, i) => {
          const file = current[i];
          return file?.state === 'pending' ? [{ result, file }] : [];
        });
        if (fresh.length === 0) return;
        const fns = fresh.flatMap(({ result }) => result.functions);
        await Promise.all([
          db.files.bulkPut(
            fresh.map(({ result, file }) => ({
              ...file,
              state: result.state,
              error: result.error,
              segments: result.segments,
              modules: result.modules,
              functionCount: result.functions.length,
            })),
          ),
          db.functions.bulkPut(fns.map((f) => f.row)),
          db.sources.bulkPut(fns.map((f) => f.source)),
          db.outcomes.bulkPut(fns.flatMap((f) => (f.outcome ? [f.outcome] : []))),
        ]);
        await bump(db, projectId, (c) => {
          c.filesExtracted += fresh.filter(({ result }) => result.state === 'extracted').length;
          c.filesFailed += fresh.filter(({ result }) => result.state === 'failed').length;
          c.functions += fns.length;
          c.withDoctests += fns.filter((f) => f.row.exampleCount > 0).length;
          for (const f of fns) c.byStatus[f.row.status] += 1;
        });
      }),
    );
  }

  pendingFunctions(projectId: string): Promise<string[]> {
    return guard(
      this.db.functions
        .where('[projectId+status+id]')
        .between([projectId, 'pending', Dexie.minKey], [projectId, 'pending', Dexie.maxKey])
        .primaryKeys(),
    );
  }

  source(id: string): Promise<SourceRow | undefined> {
    return guard(this.db.sources.get(id));
  }

  saveOutcomes(projectId: string, outcomes: OutcomeRow[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.functions, db.outcomes], async () => {
        const rows = await db.functions.bulkGet(outcomes.map((o) => o.id));
        const moves: [FunctionStatus, FunctionStatus][] = [];
        const updated: FunctionRow[] = [];
        for (const [i, row] of rows.entries()) {
          const status = outcomes[i]!.outcome.status;
          if (!row || row.status === status) continue;
          moves.push([row.status, status]);
          updated.push({ ...row, status });
        }
        await Promise.all([db.outcomes.bulkPut(outcomes), db.functions.bulkPut(updated)]);
        await bump(db, projectId, (c) => {
          for (const [from, to] of moves) {
            c.byStatus[from] -= 1;
            c.byStatus[to] += 1;
            if (from === 'pending') c.doctestsRun += 1;
          }
        });
      }),
    );
  }

  passedPage(projectId: string, afterId: string | null, limit: number): Promise<ExportItem[]> {
    const db = this.db;
    return guard(
      (async () => {
        const rows = await db.functions
          .where('[projectId+status+id]')
          .between([projectId, 'passed', afterId ?? Dexie.minKey], [projectId, 'passed', Dexie.maxKey], afterId === null, true)
          .limit(limit)
          .toArray();
        const ids = rows.map((r) => r.id);
        const [sources, outcomes] = await Promise.all([db.sources.bulkGet(ids), db.outcomes.bulkGet(ids)]);
        return rows.flatMap((row, i) => {
          const source = sources[i];
          const outcome = outcomes[i];
          return source && outcome ? [{ row, source, outcome }] : [];
        });
      })(),
    );
  }
}

async function bump(db: SemiverseDb, projectId: string, change: (counts: ProjectCounts) => void): Promise<void> {
  const project = await db.projects.get(projectId);
  if (!project) return;
  const counts = structuredClone(project.counts);
  change(counts);
  await db.projects.update(projectId, { counts, updatedAt: Date.now() });
}

/** Turn Dexie's failures into StorageError with a code the UI can act on. */
async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toStorageError(error);
  }
}

export function toStorageError(error: unknown): StorageError | unknown {
  if (error instanceof StorageError) return error;
  const names = [nameOf(error), nameOf((error as { inner?: unknown } | null)?.inner)];
  // Quota errors come as QuotaExceededError, sometimes wrapped by Dexie in `inner` (DESIGN).
  if (names.includes('QuotaExceededError')) {
    return new StorageError('quota', 'The browser ran out of storage space for this site.');
  }
  if (names.includes('VersionError')) {
    return new StorageError('version', 'This page is older than the data it found; reload to update.');
  }
  if (names.includes('MissingAPIError') || names.includes('InvalidStateError')) {
    return new StorageError('unavailable', 'IndexedDB is not available (private browsing, or disabled).');
  }
  if (names.includes('AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError('unknown', `Storage failed: ${message}`);
}

function nameOf(value: unknown): string | undefined {
  return value instanceof Error || value instanceof DOMException ? value.name : undefined;
}
