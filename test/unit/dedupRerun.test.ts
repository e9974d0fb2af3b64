/**
 * "Apply and find duplicates again" in Node (core/run rerunFrom, then runProject): real ingest, extraction
 * and normaliser (in process), storage on fake-indexeddb. New dedup settings change the clusters, the run
 * ends 'done', the doctests already run are kept; a project not yet past dedup keeps its phase.
 */
import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { newProject, rerunFrom, runProject } from '../../src/core/run/runProject.ts';
import type { ProjectRow } from '../../src/domain/records.ts';
import { clampSource } from '../builders/nearCopies.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import type { Runner } from '../../workers/python/runner.ts';

let runner: Runner;
const dirs: string[] = [];
let dbCount = 0;

beforeAll(async () => {
  runner = await nodeRunner(0);
});
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

// The same function with other names, another docstring and another error message: its AST differs, its
// token 5-grams are about 0.8 alike (dedupRun.test.ts): a near copy at Jaccard 0.7, none at 0.9.
const FILES: FileMap = {
  'mathy.py': clampSource('clamp', ['x', 'lo', 'hi'], 'empty range'),
  'util/more.py': clampSource('bound', ['value', 'low', 'high'], 'low > high'),
};

async function finishedProject(): Promise<{ storage: DexieStore; project: ProjectRow; python: InProcessPython }> {
  const dir = await makeTempDir('semiverse-rerun-');
  dirs.push(dir);
  await writeFiles(dir, FILES);
  const storage = new DexieStore(new SemiverseDb(`rerun-${process.pid}-${++dbCount}`));
  const source = folderFromDisk(dir, 'rerun');
  const project = newProject(`p${dbCount}`, source, Date.now());
  await storage.createProject(project);
  const python = new InProcessPython(runner);
  expect(await runProject({ storage, python }, project.id, undefined, source)).toBe('done');
  return { storage, project: (await storage.project(project.id))!, python };
}

const qualnames = async (storage: DexieStore, id: string) =>
  (await storage.dedupRows(id)).map((row) => `${row.qualname}:${row.kind ?? 'kept'}`).sort();

describe('rerunFrom deduplicating', () => {
  it('finds the clusters of the new settings, and the run ends done with its doctests kept', async () => {
    const { storage, project, python } = await finishedProject();
    expect(project.dedup).toMatchObject({ clusters: 1, near: 1, settings: { threshold: 0.7, numPerm: 250 } });
    expect(await qualnames(storage, project.id)).toEqual(['bound:near', 'clamp:kept']);
    const [copy] = (await storage.dedupRows(project.id)).filter((row) => row.kind === 'near');
    expect(copy!.similarity).toBeGreaterThan(0.7);
    expect(copy!.similarity).toBeLessThan(0.9);
    const passed = project.counts.byStatus.passed;
    expect(passed).toBe(2);

    await rerunFrom(storage, project.id, 'deduplicating', { dedup: { threshold: 0.9, numPerm: 128 } });
    const moved = (await storage.project(project.id))!;
    expect(moved).toMatchObject({ phase: 'deduplicating', finishedAt: null });
    expect(moved.settings).toEqual({ timeoutMs: project.settings.timeoutMs, dedup: { threshold: 0.9, numPerm: 128 } });
    expect(await runProject({ storage, python }, project.id)).toBe('done');
    const stricter = (await storage.project(project.id))!;
    expect(stricter.dedup).toMatchObject({ clusters: 0, near: 0, settings: { threshold: 0.9, numPerm: 128 } });
    expect(await qualnames(storage, project.id)).toEqual([]);
    expect(stricter.counts.byStatus.passed).toBe(passed);
    expect(stricter.finishedAt).not.toBeNull();

    // And back: the pair is a copy again.
    await rerunFrom(storage, project.id, 'deduplicating', { dedup: { threshold: 0.7, numPerm: 250 } });
    expect(await runProject({ storage, python }, project.id)).toBe('done');
    expect((await storage.project(project.id))!.dedup).toMatchObject({ clusters: 1, near: 1 });
    expect(await qualnames(storage, project.id)).toEqual(['bound:near', 'clamp:kept']);
  });

  it('keeps the phase of a project not yet past dedup, or stopped, and stores the settings', async () => {
    const { storage, project } = await finishedProject();
    for (const phase of ['extracting', 'failed'] as const) {
      await storage.updateProject(project.id, { phase });
      await rerunFrom(storage, project.id, 'deduplicating', { dedup: { threshold: 0.8, numPerm: 64 } });
      const row = (await storage.project(project.id))!;
      expect(row.phase).toBe(phase);
      expect(row.settings.dedup).toEqual({ threshold: 0.8, numPerm: 64 });
    }
    await storage.updateProject(project.id, { phase: 'screening' });
    await rerunFrom(storage, project.id, 'deduplicating');
    expect((await storage.project(project.id))!.phase).toBe('deduplicating');
  });
});
