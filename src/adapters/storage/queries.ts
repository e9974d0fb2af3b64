/**
 * Reads for the UI. Live ones are Dexie liveQuery observables (they re-run when a write touches what they
 * read); big lists are loaded on demand and refreshed by the caller at a pace it chooses, because re-reading
 * 50,000 function rows after every write would stall the page.
 */
import { liveQuery, type Observable } from 'dexie';
import type { Segment } from '../../domain/extract.ts';
import type { FileRow, FunctionRow, OutcomeRow, ProjectRow, SkipRow, SourceRow } from '../../domain/records.ts';
import type { SemiverseDb } from './db.ts';

export type { Observable };

export function observeProjects(db: SemiverseDb): Observable<ProjectRow[]> {
  return liveQuery(() => db.projects.orderBy('updatedAt').reverse().toArray());
}

export function observeProject(db: SemiverseDb, id: string): Observable<ProjectRow | undefined> {
  return liveQuery(() => db.projects.get(id));
}

export function loadFunctionRows(db: SemiverseDb, projectId: string): Promise<FunctionRow[]> {
  return db.functions.where('projectId').equals(projectId).toArray();
}

export function loadSkipped(db: SemiverseDb, projectId: string): Promise<SkipRow[]> {
  return db.skipped.where('projectId').equals(projectId).toArray();
}

/** Files that did not parse (or whose extraction timed out or crashed), without their text. */
export async function loadFailedFiles(db: SemiverseDb, projectId: string): Promise<Pick<FileRow, 'path' | 'error'>[]> {
  const rows = await db.files.where('[projectId+state]').equals([projectId, 'failed']).toArray();
  return rows.map(({ path, error }) => ({ path, error })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

export type FunctionDetail = { row: FunctionRow; source: SourceRow | undefined; outcome: OutcomeRow | undefined };

export function observeDetail(db: SemiverseDb, id: string): Observable<FunctionDetail | undefined> {
  return liveQuery(async () => {
    const [row, source, outcome] = await Promise.all([db.functions.get(id), db.sources.get(id), db.outcomes.get(id)]);
    return row ? { row, source, outcome } : undefined;
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

