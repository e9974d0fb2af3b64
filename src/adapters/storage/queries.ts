/**
 * Reads for the UI. Live ones are Dexie liveQuery observables (they re-run when a write touches what they
 * read); big lists are loaded on demand and refreshed by the caller at a pace it chooses.
 */
import { liveQuery, type Observable } from 'dexie';
import type { Segment } from '../../domain/extract.ts';
import type { SkippedPath } from '../../domain/ingest.ts';
import type { FileRow, FunctionRow, OutcomeRow, ProjectRow } from '../../domain/records.ts';
import type { ExtractedFunction } from '../../domain/extract.ts';
import { ofProject, type SemiverseDb } from './db.ts';

export type { Observable };

export function observeProjects(db: SemiverseDb): Observable<ProjectRow[]> {
  return liveQuery(() => db.projects.orderBy('updatedAt').reverse().toArray());
}

/** Every function of a project, as table rows (file rows carry their functions' summaries). */
export async function loadFunctionRows(db: SemiverseDb, projectId: string): Promise<FunctionRow[]> {
  const files = await db.files
    .where('[projectId+path]')
    .between(...ofProject(projectId))
    .toArray();
  return files.flatMap((file) => file.functions.map((fn) => ({ ...fn, path: file.path })));
}

export async function loadSkipped(db: SemiverseDb, projectId: string): Promise<SkippedPath[]> {
  const batches = await db.skipped
    .where('[projectId+path]')
    .between(...ofProject(projectId))
    .toArray();
  return batches.flatMap((batch) => batch.entries);
}

/** Files that did not parse (or whose extraction timed out or crashed). */
export async function loadFailedFiles(db: SemiverseDb, projectId: string): Promise<Pick<FileRow, 'path' | 'error'>[]> {
  const rows = await db.files.where('[projectId+state]').equals([projectId, 'failed']).toArray();
  return rows.map(({ path, error }) => ({ path, error }));
}

export type FunctionDetail = {
  row: FunctionRow;
  fn: ExtractedFunction | undefined;
  /** Present when the function ran. */
  ran: OutcomeRow | undefined;
};

export function observeDetail(db: SemiverseDb, projectId: string, row: FunctionRow): Observable<FunctionDetail> {
  return liveQuery(async () => {
    const [file, source, ran] = await Promise.all([
      db.files.get([projectId, row.path]),
      db.sources.get([projectId, row.path]),
      db.outcomes.get(row.id),
    ]);
    const index = file?.functions.findIndex((fn) => fn.id === row.id) ?? -1;
    const summary = index >= 0 ? file!.functions[index]! : row;
    return { row: { ...summary, path: row.path }, fn: source?.fns[index], ran };
  });
}

/** A file's text and segment table, to show any function's source and standalone program. */
export async function loadFileCode(
  db: SemiverseDb,
  projectId: string,
  path: string,
): Promise<{ text: string; segments: Segment[] | null } | null> {
  const [text, file] = await Promise.all([db.texts.get([projectId, path]), db.files.get([projectId, path])]);
  return text ? { text: text.text, segments: file?.segments ?? null } : null;
}
