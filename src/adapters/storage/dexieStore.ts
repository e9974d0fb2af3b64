/**
 * StoragePort over Dexie. Counters live on the project row and change only in the transaction that writes
 * what they count, computed from what was there before (a re-written row moves no counter), so they stay
 * exact across reloads, resumes and a second tab. Nothing but Dexie work is awaited inside a transaction.
 */
import type { ExportItem, FileExtraction, PendingFunction, StoragePort } from '../../core/ports.ts';
import type { SkippedPath } from '../../domain/ingest.ts';
import type { FileRow, OutcomeRow, ProjectCounts, ProjectRow, SourceRow, TextRow } from '../../domain/records.ts';
import { SCHEMA_VERSION } from '../../domain/records.ts';
import type { FunctionStatus } from '../../domain/verify.ts';
import { ofProject, type SemiverseDb } from './db.ts';
import { guard } from './storageErrors.ts';

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
    const perFile = [db.files, db.texts, db.sources, db.skipped];
    return guard(
      db.transaction('rw', [db.projects, db.outcomes, ...perFile], async () => {
        for (const table of perFile)
          await table
            .where('[projectId+path]')
            .between(...ofProject(id))
            .delete();
        await db.outcomes.where('projectId').equals(id).delete();
        await db.projects.delete(id);
      }),
    );
  }

  saveIngestBatch(
    projectId: string,
    files: { row: FileRow; text: TextRow }[],
    skips: SkippedPath[],
    seen: number,
  ): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.texts, db.skipped], async () => {
        const old = await db.files.bulkGet(files.map((f): [string, string] => [projectId, f.row.path]));
        const batch = skips[0] && { projectId, path: skips[0].path, schemaVersion: SCHEMA_VERSION, entries: skips };
        const oldBatch = batch ? await db.skipped.get([projectId, batch.path]) : undefined;
        await Promise.all([db.files.bulkPut(files.map((f) => f.row)), db.texts.bulkPut(files.map((f) => f.text))]);
        if (batch) await db.skipped.put(batch);
        await bump(db, projectId, (c) => {
          c.seen = Math.max(c.seen, seen);
          c.filesAccepted += old.filter((f) => !f).length;
          c.filesSkipped += skips.length - (oldBatch?.entries.length ?? 0);
        });
      }),
    );
  }

  pendingFiles(projectId: string): Promise<string[]> {
    return guard(this.db.files.where('[projectId+state]').equals([projectId, 'pending']).primaryKeys().then(paths));
  }

  filePaths(projectId: string): Promise<string[]> {
    return guard(
      this.db.files
        .where('[projectId+path]')
        .between(...ofProject(projectId))
        .primaryKeys()
        .then(paths),
    );
  }

  fileText(projectId: string, path: string): Promise<TextRow | undefined> {
    return guard(this.db.texts.get([projectId, path]));
  }

  saveExtractions(projectId: string, results: FileExtraction[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.sources], async () => {
        const current = await db.files.bulkGet(results.map((r): [string, string] => [projectId, r.path]));
        // A file already extracted (by another tab, or before a reload) keeps its first result.
        const fresh = results.flatMap((result, i) => {
          const file = current[i];
          return file?.state === 'pending' ? [{ result, file }] : [];
        });
        if (fresh.length === 0) return;
        await Promise.all([
          db.files.bulkPut(
            fresh.map(({ result, file }) => ({
              ...file,
              state: result.state,
              error: result.error,
              segments: result.segments,
              modules: result.modules,
              functions: result.functions,
            })),
          ),
          db.sources.bulkPut(fresh.flatMap(({ result }) => (result.source ? [result.source] : []))),
        ]);
        const fns = fresh.flatMap(({ result }) => result.functions);
        await bump(db, projectId, (c) => {
          c.filesExtracted += fresh.filter(({ result }) => result.state === 'extracted').length;
          c.filesFailed += fresh.filter(({ result }) => result.state === 'failed').length;
          c.functions += fns.length;
          c.withDoctests += fns.filter((f) => f.exampleCount > 0).length;
          for (const f of fns) c.byStatus[f.status] += 1;
        });
      }),
    );
  }

  pendingFunctions(projectId: string): Promise<PendingFunction[]> {
    return guard(
      (async () => {
        const files = await this.db.files.where('[projectId+state]').equals([projectId, 'extracted']).toArray();
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return files.flatMap((file) =>
          file.functions.flatMap((fn, index) =>
            fn.status === 'pending' ? [{ id: fn.id, path: file.path, index }] : [],
          ),
        );
      })(),
    );
  }

  fileSource(projectId: string, path: string): Promise<SourceRow | undefined> {
    return guard(this.db.sources.get([projectId, path]));
  }

  saveOutcomes(projectId: string, outcomes: OutcomeRow[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.outcomes], async () => {
        const filePaths = [...new Set(outcomes.map((o) => o.path))];
        const files = await db.files.bulkGet(filePaths.map((path): [string, string] => [projectId, path]));
        const byId = new Map(outcomes.map((o) => [o.id, o.outcome.status]));
        const moves: [FunctionStatus, FunctionStatus][] = [];
        const updated = files.flatMap((file) => {
          if (!file) return [];
          const functions = file.functions.map((fn) => {
            const status = byId.get(fn.id);
            if (status === undefined || status === fn.status) return fn;
            moves.push([fn.status, status]);
            return { ...fn, status };
          });
          return [{ ...file, functions }];
        });
        await Promise.all([db.outcomes.bulkPut(outcomes), db.files.bulkPut(updated)]);
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

  passedPage(
    projectId: string,
    afterPath: string | null,
    count: number,
  ): Promise<{ items: ExportItem[]; lastPath: string | null }> {
    const db = this.db;
    return guard(
      (async () => {
        const [from, to] = ofProject(projectId);
        const files = await db.files
          .where('[projectId+path]')
          .between(afterPath === null ? from : [projectId, afterPath], to, afterPath === null, true)
          .limit(count)
          .toArray();
        const withPassed = files.filter((f) => f.functions.some((fn) => fn.status === 'passed'));
        const sources = await db.sources.bulkGet(withPassed.map((f): [string, string] => [projectId, f.path]));
        const passedIds = withPassed.flatMap((f) =>
          f.functions.filter((fn) => fn.status === 'passed').map((fn) => fn.id),
        );
        const outcomes = new Map((await db.outcomes.bulkGet(passedIds)).flatMap((o) => (o ? [[o.id, o]] : [])));
        const items = withPassed.flatMap((file, i) =>
          file.functions.flatMap((summary, index) => {
            const fn = sources[i]?.fns[index];
            const outcome = outcomes.get(summary.id);
            return summary.status === 'passed' && fn && outcome
              ? [{ path: file.path, summary, fn, fileSha256: file.sha256, outcome }]
              : [];
          }),
        );
        return { items, lastPath: files.length === 0 ? null : files[files.length - 1]!.path };
      })(),
    );
  }
}

function paths(keys: [string, string][]): string[] {
  return keys.map(([, path]) => path);
}

async function bump(db: SemiverseDb, projectId: string, change: (counts: ProjectCounts) => void): Promise<void> {
  const project = await db.projects.get(projectId);
  if (!project) return;
  const counts = structuredClone(project.counts);
  change(counts);
  await db.projects.update(projectId, { counts, updatedAt: Date.now() });
}
