/**
 * The dedup phase end to end in Node: real ingest, extraction and normaliser (in process), storage on
 * fake-indexeddb. Natural mode leaves copies out of the export and counts them; with the LLM stages a copy
 * is dropped at select (reason `duplicate`) before any request for it; the phase can run again (reload,
 * new settings) with the same or the new result; a project made before dedup still runs.
 */
import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { dedupStage } from '../../src/core/dedup/dedupStage.ts';
import { exportJsonl, type ExportSummary } from '../../src/core/export/exportJsonl.ts';
import type { JsonlRecord } from '../../src/core/export/jsonlRecord.ts';
import { newProject, runProject } from '../../src/core/run/runProject.ts';
import type { DedupRow } from '../../src/domain/dataset.ts';
import type { ProjectRow } from '../../src/domain/records.ts';
import type { ScriptedFunction } from '../builders/corpusLlm.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { runScripted, qualnameOf } from '../builders/llmProject.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import type { Runner } from '../../workers/python/runner.ts';

let runner: Runner;
let recheckRunner: Runner;
const dirs: string[] = [];
let dbCount = 0;

beforeAll(async () => {
  [runner, recheckRunner] = await Promise.all([nodeRunner(0), nodeRunner(1)]);
});
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const MEAN = [
  'def mean(values):',
  '    """The arithmetic mean.',
  '',
  '    >>> mean([1, 2, 3])',
  '    2.0',
  '    """',
  '    total = 0',
  '    for value in values:',
  '        total += value',
  '    return total / len(values)',
];

/** `mean` renamed and reformatted, with another docstring: the same normalised AST. */
const AVERAGE = [
  'def average(xs):',
  "    '''Average of xs.",
  '',
  '    >>> average([2, 4])',
  '    3.0',
  "    '''",
  '    acc = 0  # running sum',
  '    for x in xs:',
  '        acc += x',
  '    return acc / len(xs)',
];

const SLUG = [
  'def slug(title, sep="-"):',
  '    """A URL slug of a title.',
  '',
  '    >>> slug("Hello, World!")',
  "    'hello-world'",
  '    """',
  '    words = []',
  '    for word in title.lower().split():',
  '        cleaned = "".join(ch for ch in word if ch.isalnum())',
  '        if cleaned:',
  '            words.append(cleaned)',
  '    return sep.join(words)',
];

/** `slug` with a line added: a near copy (the AST differs). */
const SLUG_NEAR = [...SLUG.slice(0, 6), '    title = title.strip()', ...SLUG.slice(6)].map((line) =>
  line.replace('def slug(', 'def make_slug(').replace('slug("Hello', 'make_slug("Hello'),
);

const FILES: FileMap = {
  'stats.py': [
    ...MEAN,
    '',
    '',
    'def spread(values):',
    '    """Max minus min.',
    '',
    '    >>> spread([3, 1, 2])',
    '    2',
    '    """',
    '    return max(values) - min(values)',
    '',
  ].join('\n'),
  'vendored/stats_copy.py': [...AVERAGE, ''].join('\n'),
  'text.py': [...SLUG, ''].join('\n'),
  'web/urls.py': [...SLUG_NEAR, ''].join('\n'),
};

async function naturalProject(files: FileMap): Promise<{ storage: DexieStore; project: ProjectRow }> {
  const dir = await makeTempDir('semiverse-dedup-');
  dirs.push(dir);
  await writeFiles(dir, files);
  const storage = new DexieStore(new SemiverseDb(`dedup-${process.pid}-${++dbCount}`));
  const source = folderFromDisk(dir, 'dedup');
  const project = newProject(`p${dbCount}`, source, Date.now());
  await storage.createProject(project);
  await runProject({ storage, python: new InProcessPython(runner) }, project.id, undefined, source);
  return { storage, project: (await storage.project(project.id))! };
}

async function exported(
  storage: DexieStore,
  project: ProjectRow,
): Promise<{ records: JsonlRecord[]; summary: ExportSummary }> {
  const chunks: string[] = [];
  const summary = await exportJsonl(storage, project, (chunk) => void chunks.push(chunk));
  const records = chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonlRecord);
  return { records, summary };
}

const byQualname = (rows: DedupRow[]) => Object.fromEntries(rows.map((row) => [row.qualname, row]));

describe('dedup in natural mode', () => {
  it('clusters exact and near copies, keeps one of each, and leaves the copies out of the export', async () => {
    const { storage, project } = await naturalProject(FILES);
    expect(project.phase).toBe('done');
    expect(project.dedup).toMatchObject({ files: 4, filesDone: 4, functions: 5, clusters: 2, exact: 1, near: 1 });
    expect(project.dedup?.settings).toEqual({ threshold: 0.7, numPerm: 250 });

    const rows = byQualname(await storage.dedupRows(project.id));
    expect(Object.keys(rows).sort()).toEqual(['average', 'make_slug', 'mean', 'slug']);
    // The first in path order represents: stats.py < vendored/, text.py < web/.
    expect(rows['mean']).toMatchObject({ duplicateOf: null, kind: null, size: 2, path: 'stats.py' });
    expect(rows['average']).toMatchObject({ duplicateOf: rows['mean']!.functionId, kind: 'exact', similarity: 1 });
    expect(rows['average']!.matched).toEqual({ functionId: rows['mean']!.functionId, similarity: 1 });
    expect(rows['make_slug']).toMatchObject({ duplicateOf: rows['slug']!.functionId, kind: 'near' });
    expect(rows['make_slug']!.similarity).toBeGreaterThanOrEqual(0.7);
    expect(rows['make_slug']!.similarity).toBeLessThan(1);

    // Every doctest passed (the copies' too), but only the representatives' samples are exported.
    expect(project.counts.byStatus.passed).toBe(5);
    const { records, summary } = await exported(storage, project);
    expect(records.map((r) => r.entry_point).sort()).toEqual(['mean', 'slug', 'spread']);
    expect(summary).toMatchObject({ natural: 3, duplicates: 2 });
  });

  it('runs again with the same result, and with new settings drops what they no longer find', async () => {
    const { storage, project } = await naturalProject(FILES);
    const python = new InProcessPython(runner);
    const before = await storage.dedupRows(project.id);
    await dedupStage(storage, python, project);
    expect(await storage.dedupRows(project.id)).toEqual(before);

    // Only exact copies at Jaccard 1: the near pair is no longer one.
    await storage.updateProject(project.id, {
      settings: { ...project.settings, dedup: { threshold: 1, numPerm: 128 } },
    });
    const summary = await dedupStage(storage, python, (await storage.project(project.id))!);
    expect(summary).toMatchObject({ clusters: 1, exact: 1, near: 0, settings: { threshold: 1, numPerm: 128 } });
    expect(Object.keys(byQualname(await storage.dedupRows(project.id))).sort()).toEqual(['average', 'mean']);
    const { summary: exportSummary } = await exported(storage, (await storage.project(project.id))!);
    expect(exportSummary).toMatchObject({ natural: 4, duplicates: 1 });
  });

  it('clamps settings out of bounds, and a project without any copy stores no rows', async () => {
    const { storage, project } = await naturalProject({ 'one.py': [...MEAN, ''].join('\n') });
    expect(project.dedup).toMatchObject({ functions: 1, clusters: 0, exact: 0, near: 0 });
    expect(await storage.dedupRows(project.id)).toEqual([]);
    await storage.updateProject(project.id, { settings: { ...project.settings, dedup: { threshold: 7, numPerm: 5 } } });
    const summary = await dedupStage(storage, new InProcessPython(runner), (await storage.project(project.id))!);
    expect(summary.settings).toEqual({ threshold: 1, numPerm: 16 });
  });
});

const MODEL: ScriptedFunction[] = [
  {
    entryPoint: 'add',
    instructions: ['named `add` that returns the sum of its two arguments.'],
    cases: [
      ['1', '2'],
      ['-1', '1'],
      ['0', '0'],
      ["'a'", "'b'"],
    ],
    solution: 'def add(a, b):\n    return a + b',
  },
  {
    entryPoint: 'clamp',
    instructions: ['named `clamp` that limits x to the range [lo, hi].'],
    cases: [
      ['5', '0', '10'],
      ['-5', '0', '10'],
      ['15', '0', '10'],
      ['0', '0', '0'],
    ],
    solution:
      'def clamp(x, lo, hi):\n    if lo > hi:\n        raise ValueError(lo, hi)\n    if x < lo:\n        return lo\n    return hi if x > hi else x',
  },
];

const LLM_FILES: FileMap = {
  'mathy.py': [
    'def add(a, b):',
    '    return a + b',
    '',
    '',
    'def clamp(x, lo, hi):',
    '    """Limit x to the range [lo, hi]."""',
    '    if lo > hi:',
    "        raise ValueError('empty range')",
    '    if x < lo:',
    '        return lo',
    '    if x > hi:',
    '        return hi',
    '    return x',
    '',
  ].join('\n'),
  // A copy of add under another name, and one of clamp with other names, another docstring and another
  // error message: its AST differs, its token 5-grams are 0.80 alike (a line added instead, such as a
  // guard, is 0.69 on a function this short: below the threshold, no copy). Both have a docstring, so the
  // first in path order is kept (a function with prose would be preferred to one without).
  'util/more.py': [
    'def plus(left, right):  # same as mathy.add',
    '    return left + right',
    '',
    '',
    'def bound(value, low, high):',
    '    """Limit value to [low, high]."""',
    '    if low > high:',
    "        raise ValueError('low > high')",
    '    if value < low:',
    '        return low',
    '    if value > high:',
    '        return high',
    '    return value',
    '',
  ].join('\n'),
};

describe('dedup before the LLM stages', () => {
  it('drops copies at select, names what they copy, and asks the model nothing for them', async () => {
    const pair = { python: new InProcessPython(runner), recheck: new InProcessPython(recheckRunner) };
    const run = await runScripted({ files: LLM_FILES, functions: MODEL, pair });
    try {
      expect(run.end).toBe('done');
      expect(await run.fates()).toEqual({
        add: 'accepted',
        clamp: 'accepted',
        plus: 'select: duplicate',
        bound: 'select: duplicate',
      });
      const [plus] = await run.rows('plus');
      expect(plus!.detail).toBe('A copy of add in mathy.py (exact): that one is kept.');
      const [bound] = await run.rows('bound');
      expect(bound!.detail).toMatch(/^A copy of clamp in mathy\.py \(near, Jaccard 0\.\d\d\): that one is kept\.$/);
      // No request is about a copy: none holds its code or names it (the prompts' own words may hold
      // "bound", as in "the boundaries of ranges").
      const requests = JSON.stringify(await run.project.storage.db.llmCalls.toArray());
      expect(requests).toContain('def clamp(');
      expect(requests).not.toMatch(/def (plus|bound)\(|`(plus|bound)`/);
      const funnel = await run.project.funnel();
      expect(funnel[0]).toMatchObject({ stage: 'select', in: 4, kept: 2, dropped: { duplicate: 2 } });
      expect(funnel.at(-1)!.kept).toBe(2);
    } finally {
      await run.project.dispose();
    }
  });

  it('decides select again for a function whose place changed when dedup runs again', async () => {
    const pair = { python: new InProcessPython(runner), recheck: new InProcessPython(recheckRunner) };
    const run = await runScripted({
      files: LLM_FILES,
      functions: [...MODEL, { ...MODEL[1]!, entryPoint: 'bound' }],
      pair,
    });
    try {
      const { project } = run;
      const row = await project.project();
      await project.storage.updateProject(project.id, {
        settings: { ...row.settings, dedup: { threshold: 1, numPerm: 250 } },
      });
      await dedupStage(project.storage, pair.python, await project.project());
      // bound is no longer a copy: its select verdict is gone, plus's (still a copy) is kept.
      expect((await project.rows(await project.idOf('bound'))).map((r) => r.stage)).not.toContain('select');
      expect((await project.rows(await project.idOf('plus'))).map((r) => r.stage)).toEqual(['select']);
      await project.storage.updateProject(project.id, { phase: 'generating' });
      expect(await project.run()).toBe('done');
      expect(await run.fate('bound')).not.toBe('select: duplicate');
      expect(await run.fate('plus')).toBe('select: duplicate');
    } finally {
      await run.project.dispose();
    }
  });

  it('still runs a project made before dedup: without dedup rows nothing is a copy', async () => {
    const pair = { python: new InProcessPython(runner), recheck: new InProcessPython(recheckRunner) };
    // Without dedup rows the copies are asked about like any function: the model has answers for them too.
    const copies = [
      { ...MODEL[0]!, entryPoint: 'plus' },
      { ...MODEL[1]!, entryPoint: 'bound' },
    ];
    const run = await runScripted({ files: LLM_FILES, functions: [...MODEL, ...copies], pair });
    try {
      const { project } = run;
      // As an earlier release left it: no dedup rows, no summary, no select verdicts of this release.
      const ids = await project.functionIds();
      await project.storage.saveDedup(project.id, [], ids);
      await project.storage.db.stages.clear();
      await project.storage.db.stageData.clear();
      const { dedup: _dropped, ...old } = await project.project();
      await project.storage.db.projects.put({ ...old, phase: 'generating' });
      expect(await project.run()).toBe('done');
      expect(await run.fate('plus')).not.toBe('select: duplicate');
      expect(await run.fate('bound')).not.toBe('select: duplicate');
      expect(await run.fate('add')).toBe('accepted');
      expect(ids.map(qualnameOf).sort()).toEqual(['add', 'bound', 'clamp', 'plus']);
    } finally {
      await run.project.dispose();
    }
  });
});
