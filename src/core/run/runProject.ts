/**
 * The natural-mode pipeline: ingest → extract → verify (doctests) → done. Invariants:
 * - where to resume is decided from stored data (pending files, pending functions), not from memory, so
 *   a reload at any point resumes without redoing finished work;
 * - only ingest needs the dropped folder; after a reload mid-ingest the run goes on with the files that
 *   were stored and says so (project.message, ingestComplete = false);
 * - a cancellation leaves the project resumable; a fault (full disk, no Python) stops it with a message
 *   that says what to do, and its finished work is kept.
 */
import type { PythonPort, StoragePort } from '../ports.ts';
import { StorageError, isAbortError } from '../../domain/errors.ts';
import { SCHEMA_VERSION, emptyCounts, type ProjectRow } from '../../domain/records.ts';
import { extractStage } from '../extract/extractStage.ts';
import { ingestStage, localModuleNames } from '../ingest/ingestStage.ts';
import type { FolderSource } from '../ingest/tree.ts';
import { verifyStage } from '../verify/verifyStage.ts';
import { PythonUnavailableError } from './errors.ts';

/**
 * `recheck`, when given, is Python started with another PYTHONHASHSEED: the exported tests of every
 * passing function are run on it once more (with another random seed too), so nothing that passes only by
 * the luck of one seed (set order, random numbers) is exported.
 */
export type RunDeps = { storage: StoragePort; python: PythonPort; recheck?: PythonPort };

/** The default per-function time limit for running doctests. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export function newProject(id: string, source: FolderSource, now: number, timeoutMs = DEFAULT_TIMEOUT_MS): ProjectRow {
  return {
    id,
    schemaVersion: SCHEMA_VERSION,
    name: source.name,
    origin: source.origin,
    createdAt: now,
    updatedAt: now,
    phase: 'ingesting',
    ingestComplete: false,
    message: null,
    settings: { timeoutMs },
    counts: emptyCounts(),
    localModules: [],
    startedAt: now,
    finishedAt: null,
  };
}

/**
 * Run (or resume) a project to the end. `source` is the dropped folder when the run starts from a drop;
 * a resumed run has none. Resolves when the project is done or stopped with a message; rejects only with
 * an AbortError when cancelled.
 */
export async function runProject(
  deps: RunDeps,
  projectId: string,
  signal?: AbortSignal,
  source?: FolderSource,
): Promise<void> {
  const { storage, python } = deps;
  try {
    const project = await storage.project(projectId);
    if (!project || project.phase === 'done') return;
    if (project.phase === 'ingesting') await ingest(storage, project, signal, source);

    const after = await storage.project(projectId);
    if (!after) return;
    if (after.counts.filesAccepted === 0) {
      const message = after.ingestComplete ? nothingToDo(after) : after.message;
      await storage.updateProject(projectId, { phase: 'done', finishedAt: Date.now(), message });
      return;
    }
    const localModules = localModuleNames(await storage.filePaths(projectId));
    await storage.updateProject(projectId, { phase: 'extracting', localModules });
    await extractStage(storage, python, projectId, localModules, signal);
    await storage.updateProject(projectId, { phase: 'verifying' });
    await verifyStage(storage, python, projectId, after.settings.timeoutMs, signal, deps.recheck);
    await storage.updateProject(projectId, { phase: 'done', finishedAt: Date.now() });
  } catch (error) {
    if (isAbortError(error)) throw error;
    await storage.updateProject(projectId, { phase: 'failed', message: describeFault(error) }).catch(() => {});
  }
}

async function ingest(
  storage: StoragePort,
  project: ProjectRow,
  signal?: AbortSignal,
  source?: FolderSource,
): Promise<void> {
  if (source) {
    await ingestStage(storage, project.id, source, signal);
    await storage.updateProject(project.id, { ingestComplete: true });
    return;
  }
  const stored = (await storage.project(project.id))?.counts.filesAccepted ?? 0;
  await storage.updateProject(project.id, {
    ingestComplete: false,
    message:
      `The page was reloaded while "${project.name}" was being read: ${stored} Python files had been stored and ` +
      'the run went on with those. Drop the folder again for a complete run.',
  });
}

function nothingToDo(project: ProjectRow): string {
  const { seen, filesSkipped } = project.counts;
  if (seen === 0) return `"${project.name}" is empty: there is nothing to read.`;
  return (
    `No Python files to read in "${project.name}": ${seen} paths were looked at and ${filesSkipped} skipped ` +
    '(see the skipped list for why).'
  );
}

export function describeFault(error: unknown): string {
  if (error instanceof StorageError && error.code === 'quota') {
    return 'The browser has no storage space left for this site. Delete old projects (or free disk space) and press Resume: finished work is kept.';
  }
  if (error instanceof StorageError) return `${error.message} Finished work is kept; press Resume to try again.`;
  if (error instanceof PythonUnavailableError) {
    return `Python could not run in this browser: ${error.message}. Reload the page and press Resume; if it happens again, check the console.`;
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `The run stopped because of an internal error (${detail}). Finished work is kept; press Resume to try again.`;
}
