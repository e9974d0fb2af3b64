/**
 * The natural-mode pipeline end to end in Node: real ingest, the real Python harness (in process), storage
 * on fake-indexeddb. What the browser adds (workers, time limits, the UI) is tested in Chromium.
 */
import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieReads } from '../../src/adapters/storage/reads.ts';
import { noticeText } from '../../src/state/problemText.ts';
import { toCallResult } from '../../src/adapters/python/settle.ts';
import { exportJsonl } from '../../src/core/export/exportJsonl.ts';
import type { JsonlRecord } from '../../src/core/export/jsonlRecord.ts';
import type { StoragePort } from '../../src/core/ports.ts';
import { newProject, runProject } from '../../src/core/run/runProject.ts';
import { StorageError } from '../../src/domain/errors.ts';
import type { ProjectRow } from '../../src/domain/records.ts';
import { humanEval } from '../builders/benchmarks.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { nativeFunctionCounts, nativeRun } from '../builders/nativePython.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import type { Runner } from '../../workers/python/runner.ts';

let runner: Runner;
const dirs: string[] = [];
let dbCount = 0;

beforeAll(async () => {
  runner = await nodeRunner();
});
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A project folder: 40 HumanEval solutions, a package with doctests, a broken file, things to skip. */
function fixture(): FileMap {
  const files: FileMap = {};
  for (const task of humanEval().slice(0, 40))
    files[`humaneval/${task.task_id.replace('/', '_')}.py`] = task.prompt + task.canonical_solution;
  files['pkg/__init__.py'] = '';
  files['pkg/geometry.py'] = [
    'import math',
    'from pkg.units import METRE',
    '',
    'UNIT = 1.0',
    '',
    'def circle_area(r):',
    '    """Area of a circle of radius r.',
    '',
    '    >>> round(circle_area(2), 3)',
    '    12.566',
    '    """',
    '    return math.pi * r * r * UNIT',
    '',
    'class Square:',
    '    def __init__(self, side):',
    '        self.side = side',
    '',
    '    def area(self):',
    '        """The area.',
    '',
    '        >>> Square(3).area()',
    '        9',
    '        """',
    '        return self.side ** 2',
    '',
    'def in_metres(x):',
    '    """Convert to metres.',
    '',
    '    >>> in_metres(2)',
    '    2',
    '    """',
    '    return x * METRE',
    '',
    'def wrong(x):',
    '    """Claims the wrong thing.',
    '',
    '    >>> wrong(1)',
    '    3',
    '    """',
    '    return x + 1',
    '',
  ].join('\n');
  files['pkg/units.py'] = 'METRE = 1\n';
  files['broken.py'] = 'def ok():\n    return 1\n\ndef bad(:\n    pass\n';
  files['README.md'] = '# not python\n';
  files['.git/HEAD'] = 'ref: refs/heads/main\n';
  files['__pycache__/x.cpython-311.pyc'] = new Uint8Array([1, 2, 3]);
  return files;
}

async function setup(files: FileMap): Promise<{ dir: string; storage: DexieStore; python: InProcessPython }> {
  const dir = await makeTempDir('semiverse-run-');
  dirs.push(dir);
  await writeFiles(dir, files);
  const storage = new DexieStore(new SemiverseDb(`test-${++dbCount}`));
  return { dir, storage, python: new InProcessPython(runner) };
}

async function start(
  storage: StoragePort,
  python: InProcessPython,
  dir: string,
  signal?: AbortSignal,
): Promise<ProjectRow> {
  const source = folderFromDisk(dir, 'demo');
  const project = newProject(`p${dbCount}`, source, Date.now());
  await storage.createProject(project);
  await runProject({ storage, python }, project.id, signal, source).catch((e: unknown) => {
    if (!(e instanceof Error && e.name === 'AbortError')) throw e;
  });
  return (await storage.project(project.id))!;
}

async function exported(storage: StoragePort, project: ProjectRow): Promise<JsonlRecord[]> {
  const chunks: string[] = [];
  await exportJsonl(storage, project, (chunk) => void chunks.push(chunk));
  return chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonlRecord);
}

describe('a natural-mode run', () => {
  it('ingests, extracts, runs doctests and exports only what passed', async () => {
    const files = fixture();
    const { dir, storage, python } = await setup(files);
    const project = await start(storage, python, dir);
    const c = project.counts;

    expect(project.phase).toBe('done');
    expect(project.ingestComplete).toBe(true);
    expect(c.filesAccepted).toBe(44);
    expect(c.filesSkipped).toBe(3); // README.md, .git, __pycache__
    expect(c.filesFailed).toBe(1); // broken.py
    const python_files = Object.entries(files).filter(([p]) => p.endsWith('.py')) as [string, string][];
    const native = nativeFunctionCounts(python_files.map(([path, text]) => ({ path, text })));
    const nativeTotal = Object.values(native).reduce<number>((sum, n) => sum + (n ?? 0), 0);
    expect(c.functions).toBe(nativeTotal);
    expect(Object.values(c.byStatus).reduce((a, b) => a + b, 0)).toBe(c.functions);
    expect(c.byStatus.pending).toBe(0);
    expect(c.byStatus.failed).toBeGreaterThanOrEqual(1); // wrong()
    expect(c.byStatus.not_runnable).toBeGreaterThanOrEqual(1); // in_metres imports pkg.units

    const records = await exported(storage, project);
    expect(records.length).toBe(c.byStatus.passed);
    const ids = records.map((r) => r.entry_point);
    expect(ids).toContain('circle_area');
    expect(ids).toContain('Square.area');
    expect(ids).not.toContain('wrong');
    expect(ids).not.toContain('in_metres');
    for (const record of records) {
      expect(record.instruction).not.toContain('>>>');
      expect(record.method).toBe('natural-doctest');
      expect(record.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const rerun = nativeRun(records.map((r) => r.response + '\n' + r.tests.join('\n') + '\n'));
    expect(rerun.filter((r) => !r.ok)).toEqual([]);
  });

  it('resumes after being stopped mid-run without redoing work or duplicating rows', async () => {
    const { dir, storage, python } = await setup(fixture());
    const controller = new AbortController();
    const stopAfter = 30;
    const original = python.extract.bind(python);
    python.extract = (request, signal) => {
      if (python.calls >= stopAfter) controller.abort();
      return original(request, signal);
    };
    const stopped = await start(storage, python, dir, controller.signal);
    expect(stopped.phase).toBe('extracting');
    expect(stopped.counts.filesExtracted).toBeLessThan(44);

    let extractCalls = 0;
    python.extract = (request, signal) => {
      extractCalls += 1;
      return original(request, signal);
    };
    await runProject({ storage, python }, stopped.id);
    const resumed = (await storage.project(stopped.id))!;
    expect(resumed.phase).toBe('done');
    // Only the files that were not stored yet were extracted again.
    expect(extractCalls).toBe(44 - stopped.counts.filesExtracted - stopped.counts.filesFailed);

    const { dir: dir2, storage: storage2, python: python2 } = await setup(fixture());
    const straight = await start(storage2, python2, dir2);
    expect(resumed.counts).toEqual(straight.counts);
    const rows = await new DexieReads(storage.db, storage.gate).functionRows(resumed.id);
    expect(rows).toHaveLength(straight.counts.functions);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('goes on with the stored files after a reload interrupted reading the folder, and says so', async () => {
    const { dir, storage, python } = await setup(fixture());
    const source = folderFromDisk(dir, 'demo');
    const project = newProject('interrupted', source, Date.now());
    await storage.createProject(project);
    const controller = new AbortController();
    let reads = 0;
    const root = source.root;
    const cut = {
      ...source,
      root: {
        ...root,
        list: async () => {
          const nodes = await root.list();
          return nodes.map((n) =>
            n.kind === 'dir' && n.name === 'pkg'
              ? {
                  ...n,
                  list: async () => {
                    controller.abort();
                    reads++;
                    return n.list();
                  },
                }
              : n,
          );
        },
      },
    };
    await runProject({ storage, python }, project.id, controller.signal, cut).catch(() => {});
    expect(reads).toBe(1);
    await runProject({ storage, python }, project.id); // the reload: no folder any more
    const after = (await storage.project(project.id))!;
    expect(after.phase).toBe('done');
    expect(after.ingestComplete).toBe(false);
    expect(after.notice).toMatchObject({ code: 'ingest-interrupted', stored: after.counts.filesAccepted });
    expect(noticeText(after.notice!, after.name)).toContain('was reloaded while');
    expect(after.counts.filesAccepted).toBeGreaterThan(0);
  });

  it('stops with a clear message when storage is full, keeps finished work, and resumes', async () => {
    const { dir, storage, python } = await setup(fixture());
    const full = Object.create(storage) as DexieStore;
    full.saveOutcomes = () => Promise.reject(new StorageError('quota', 'full'));
    const source = folderFromDisk(dir, 'demo');
    const project = newProject('quota', source, Date.now());
    await storage.createProject(project);
    await runProject({ storage: full, python }, project.id, undefined, source);
    const failed = (await storage.project(project.id))!;
    expect(failed.phase).toBe('failed');
    expect(failed.notice).toEqual({ code: 'storage-quota' });
    expect(noticeText(failed.notice!, failed.name)).toMatch(/no storage space left/);
    expect(failed.counts.filesExtracted).toBe(43);

    await runProject({ storage, python }, project.id);
    const done = (await storage.project(project.id))!;
    expect(done.phase).toBe('done');
    expect(done.counts.byStatus.pending).toBe(0);
  });

  it('does not export doctests that pass only by the luck of one hash seed or random seed', async () => {
    // What these print depends on the seeds: learn what seed 0 prints, and have the doctests claim exactly that.
    const printed = (expression: string): string => {
      const result = toCallResult(runner.runCall({ program: 'import random', expression }), 10_000);
      if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
      return result.value['v'] as string;
    };
    const order = printed("str({'apple', 'banana', 'cherry', 'damson'})");
    const draw = printed('str(random.random())');
    const lucky = [
      'import random',
      '',
      'def tags():',
      '    """The tags, as a set.',
      '',
      '    >>> print(tags())',
      `    ${order}`,
      '    """',
      "    return {'apple', 'banana', 'cherry', 'damson'}",
      '',
      'def draw():',
      '    """A random number.',
      '',
      '    >>> draw()',
      `    ${draw}`,
      '    """',
      '    return random.random()',
      '',
      'def steady(xs):',
      '    """Sorted distinct items.',
      '',
      '    >>> steady(["b", "a", "b"])',
      "    ['a', 'b']",
      '    """',
      '    return sorted(set(xs))',
      '',
    ].join('\n');
    const { dir, storage, python } = await setup({ 'lucky.py': lucky });
    const recheck = new InProcessPython(await nodeRunner(1));
    const source = folderFromDisk(dir, 'lucky');
    const project = newProject('lucky', source, Date.now());
    await storage.createProject(project);
    await runProject({ storage, python, recheck }, project.id, undefined, source);
    const rows = await new DexieReads(storage.db, storage.gate).functionRows(project.id);
    // draw() fails already when its passing doctest is re-run as an assert in the same run (the random
    // state moved on); tags() passes twice under hash seed 0 and fails under hash seed 1 (set order).
    expect(Object.fromEntries(rows.map((r) => [r.qualname, r.status]))).toEqual({
      tags: 'nondeterministic',
      draw: 'error',
      steady: 'passed',
    });
    // Both runs are kept: what passed under seed 0 and what the second run (other seeds) gave instead.
    const tagged = await storage.db.outcomes.get(rows.find((r) => r.qualname === 'tags')!.id);
    expect(tagged?.outcome).toMatchObject({
      status: 'nondeterministic',
      first: { seed: 0, hashSeed: 0, outcome: { status: 'passed', tests: [expect.stringContaining('tags()')] } },
      second: { seed: 1, hashSeed: 1, outcome: { status: 'error', phase: 'tests' } },
    });
    const counts = (await storage.project(project.id))!.counts;
    expect(counts.byStatus).toMatchObject({ nondeterministic: 1, passed: 1, error: 1 });
    const records = await exported(storage, (await storage.project(project.id))!);
    expect(records.map((r) => r.entry_point)).toEqual(['steady']);
  });

  it('says so when the folder is empty or holds no Python', async () => {
    const empty = await setup({});
    const emptyProject = await start(empty.storage, empty.python, empty.dir);
    expect(emptyProject.notice).toEqual({ code: 'empty' });
    expect(noticeText(emptyProject.notice!, emptyProject.name)).toMatch(/is empty/);
    const noPython = await setup({ 'a.txt': 'x', 'b/c.md': 'y' });
    const project = await start(noPython.storage, noPython.python, noPython.dir);
    expect(project.phase).toBe('done');
    expect(noticeText(project.notice!, project.name)).toMatch(/No Python files to read .* 2 skipped/);
  });

  it('deletes a project and every row that belongs to it', async () => {
    const { dir, storage, python } = await setup(fixture());
    const project = await start(storage, python, dir);
    await storage.deleteProject(project.id);
    const db = storage.db;
    const counts = await Promise.all(db.tables.map((t) => t.count()));
    expect(counts).toEqual(db.tables.map(() => 0));
  });
});
