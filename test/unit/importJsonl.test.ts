/**
 * Importing an exported JSONL, in Node: real projects (natural mode, and the LLM stages with a scripted
 * model) run with the in-process Python and exported, imported into new projects and merged, exported
 * again; every kind of bad line; storage failing mid-import. Storage is fake-indexeddb.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { DexieReads } from '../../src/adapters/storage/reads.ts';
import { exportFileName, exportJsonl, type ExportOptions } from '../../src/core/export/exportJsonl.ts';
import { importJsonl, type ImportResult, type ImportSource } from '../../src/core/import/importJsonl.ts';
import { MAX_LINE_BYTES } from '../../src/core/import/readLines.ts';
import { newProject, runProject } from '../../src/core/run/runProject.ts';
import { StorageError } from '../../src/domain/errors.ts';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineConfig } from '../../src/domain/pipeline.ts';
import { humanEval } from '../builders/benchmarks.ts';
import { corpusScenario } from '../builders/corpusLlm.ts';
import { jsonlFile, llmRecord, naturalRecord, withField } from '../builders/exportLines.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';

const dirs: string[] = [];
let dbCount = 0;
/** One database with a natural project and an LLM project that ran; imports go into it too. */
let db: SemiverseDb;
let store: DexieStore;
let naturalId: string;
let llmId: string;
let python: InProcessPython;

const GEOMETRY = [
  'import math',
  '',
  'def circle_area(r):',
  '    """Area of a circle of radius r.',
  '',
  '    >>> round(circle_area(2), 3)',
  '    12.566',
  '    """',
  '    return math.pi * r * r',
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
].join('\n');

const MATHY = [
  'def add(a, b):',
  '    """Add two things.',
  '',
  '    >>> add(2, 3)',
  '    5',
  '    """',
  '    return a + b',
  '',
  '',
  'def clamp(x, lo, hi):',
  '    if x < lo:',
  '        return lo',
  '    if x > hi:',
  '        return hi',
  '    return x',
  '',
].join('\n');

function freshStore(): { db: SemiverseDb; store: DexieStore } {
  const db = new SemiverseDb(`import-${++dbCount}`);
  return { db, store: new DexieStore(db) };
}

async function folder(files: FileMap): Promise<string> {
  const dir = await makeTempDir('semiverse-import-');
  dirs.push(dir);
  await writeFiles(dir, files);
  return dir;
}

beforeAll(async () => {
  ({ db, store } = freshStore());
  const [runner, recheckRunner] = await Promise.all([nodeRunner(0), nodeRunner(1)]);
  python = new InProcessPython(runner);
  const recheck = new InProcessPython(recheckRunner);

  const files: FileMap = { 'pkg/geometry.py': GEOMETRY };
  for (const task of humanEval().slice(0, 8))
    files[`humaneval/${task.task_id.replace('/', '_')}.py`] = task.prompt + task.canonical_solution;
  const natural = folderFromDisk(await folder(files), 'demo');
  naturalId = 'natural';
  await store.createProject(newProject(naturalId, natural, Date.now()));
  const end = await runProject({ storage: store, python, recheck }, naturalId, undefined, natural);
  expect(end).toBe('done');

  const llm = new ScriptedLlm(
    corpusScenario(
      [
        {
          entryPoint: 'add',
          instructions: ['named `add` that returns the sum of its two arguments.'],
          cases: [
            ['1', '2'],
            ['-1', '1'],
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
          ],
          solution: 'def clamp(x, lo, hi):\n    return max(lo, min(hi, x))',
        },
      ],
      { engine: 'openai' },
    ),
  );
  const pipeline: PipelineConfig = {
    mode: 'llm',
    model: { engine: 'openai', id: llm.capabilities.model },
    settings: DEFAULT_PIPELINE_SETTINGS,
    fingerprints: null,
  };
  const source = folderFromDisk(await folder({ 'mathy.py': MATHY }), 'mathy');
  llmId = 'llm';
  await store.createProject(newProject(llmId, source, Date.now(), pipeline));
  expect(await runProject({ storage: store, python, recheck, llm }, llmId, undefined, source)).toBe('done');
}, 300_000);

afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function exported(
  storage: DexieStore,
  projectId: string,
  options?: ExportOptions,
): Promise<{ text: string; lines: string[]; summary: Awaited<ReturnType<typeof exportJsonl>> }> {
  const project = await storage.project(projectId);
  const chunks: string[] = [];
  const summary = await exportJsonl(storage, project!, (chunk) => void chunks.push(chunk), options);
  const text = chunks.join('');
  return { text, lines: text.split('\n').filter((l) => l !== ''), summary };
}

const sorted = (lines: string[]): string[] => [...lines].sort();

function fileOf(text: string, name = 'semiverse-demo-2025-01-02.jsonl'): File {
  return new File([text], name);
}

let imports = 0;
function intoNew(storage: DexieStore, file: ImportSource): Promise<ImportResult> {
  return importJsonl(storage, file, { kind: 'new', projectId: `imported-${++imports}`, now: Date.now() });
}

describe('a round trip: export, import into a new project, export again', () => {
  it('gives the natural samples back line for line', async () => {
    const first = await exported(store, naturalId);
    expect(first.summary.natural).toBeGreaterThanOrEqual(4);
    const result = await intoNew(store, fileOf(first.text, exportFileName('demo', new Date())));
    expect(result).toEqual({
      ok: true,
      projectId: expect.any(String),
      lines: first.lines.length,
      added: first.lines.length,
      same: 0,
      screen: true,
    });
    const projectId = (result as { projectId: string }).projectId;
    // A new project waits in its screening phase; its run screens it and is done.
    expect(await store.project(projectId)).toMatchObject({ name: 'demo', origin: 'import', phase: 'screening' });
    expect(await runProject({ storage: store, python }, projectId)).toBe('done');
    expect(await store.project(projectId)).toMatchObject({ phase: 'done', notice: null });
    expect(await new DexieReads(db, store.gate).importedCount(projectId)).toBe(first.lines.length);

    const again = await exported(store, projectId);
    expect(sorted(again.lines)).toEqual(sorted(first.lines));
    expect(again.summary).toMatchObject({ lines: first.lines.length, imported: first.lines.length, natural: 0 });
    // In id order from now on: importing the re-export and exporting it gives the same file, byte for byte.
    const third = await intoNew(store, fileOf(again.text));
    expect(third.ok).toBe(true);
    expect((await exported(store, (third as { projectId: string }).projectId)).text).toBe(again.text);
    expect(store.gate.problems).toEqual([]);
  });

  it('gives the LLM samples back, with either response', async () => {
    for (const response of ['solution', 'original'] as const) {
      const first = await exported(store, llmId, { natural: true, llm: true, response });
      expect(first.summary.llm).toBe(2);
      expect(first.lines.some((l) => l.includes('"method":"natural-doctest"'))).toBe(true);
      const result = await intoNew(store, fileOf(first.text, 'semiverse-mathy-2025-01-02.jsonl'));
      expect(result).toMatchObject({ ok: true, added: first.lines.length });
      const again = await exported(store, (result as { projectId: string }).projectId);
      expect(sorted(again.lines)).toEqual(sorted(first.lines));
      // The export's choice of samples applies to imported ones too.
      const llmOnly = await exported(store, (result as { projectId: string }).projectId, {
        natural: false,
        llm: true,
        response: 'solution',
      });
      expect(llmOnly.lines.length).toBe(2);
    }
    expect(store.gate.problems).toEqual([]);
  });
});

describe('merging', () => {
  it('merges two exports into one project, and a third time changes nothing', async () => {
    const natural = await exported(store, naturalId);
    const llm = await exported(store, llmId);
    const made = await intoNew(store, fileOf(natural.text));
    const projectId = (made as { projectId: string }).projectId;
    const merged = await importJsonl(store, fileOf(llm.text, 'mathy.jsonl'), { kind: 'merge', projectId });
    expect(merged).toEqual({
      ok: true,
      projectId,
      lines: llm.lines.length,
      added: llm.lines.length,
      same: 0,
      screen: false, // the project still waits in its screening phase
    });
    const both = await exported(store, projectId);
    expect(sorted(both.lines)).toEqual(sorted([...natural.lines, ...llm.lines]));

    const again = await importJsonl(store, fileOf(natural.text), { kind: 'merge', projectId });
    expect(again).toMatchObject({ ok: true, added: 0, same: natural.lines.length, screen: false });
    expect((await exported(store, projectId)).text).toBe(both.text);
  });

  it('sends a finished project that gets new samples back to its screening phase', async () => {
    const made = await intoNew(store, jsonlFile('one.jsonl', [naturalRecord(700)]));
    const projectId = (made as { projectId: string }).projectId;
    await runProject({ storage: store, python }, projectId);
    const same = await importJsonl(store, jsonlFile('one.jsonl', [naturalRecord(700)]), { kind: 'merge', projectId });
    expect(same).toMatchObject({ ok: true, added: 0, screen: false });
    expect(await store.project(projectId)).toMatchObject({ phase: 'done' });
    const more = await importJsonl(store, jsonlFile('two.jsonl', [naturalRecord(701)]), { kind: 'merge', projectId });
    expect(more).toMatchObject({ ok: true, added: 1, screen: true });
    expect(await store.project(projectId)).toMatchObject({ phase: 'screening', finishedAt: null });
  });

  it("takes a project's own export back without duplicating it", async () => {
    const own = await exported(store, naturalId);
    const result = await importJsonl(store, fileOf(own.text), { kind: 'merge', projectId: naturalId });
    expect(result).toMatchObject({ ok: true, added: 0, same: own.lines.length });
    expect((await exported(store, naturalId)).text).toBe(own.text);
  });

  it('refuses a line whose id the project holds with other content, naming both', async () => {
    const own = (await exported(store, naturalId)).lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const changed = { ...own[0]!, instruction: 'Something else entirely.' };
    const result = await importJsonl(store, jsonlFile('edit.jsonl', [naturalRecord(900), changed]), {
      kind: 'merge',
      projectId: naturalId,
    });
    expect(result).toEqual({
      ok: false,
      count: 1,
      lines: 2,
      problems: [
        { line: 2, field: 'id', reason: 'the project has a sample of its own with this id, with other content' },
      ],
    });

    const made = await intoNew(store, jsonlFile('first.jsonl', [naturalRecord(1), naturalRecord(2)]));
    const projectId = (made as { projectId: string }).projectId;
    const clash = withField(naturalRecord(2), 'instruction', 'Not the same.');
    const refused = await importJsonl(store, jsonlFile('second.jsonl', [naturalRecord(3), clash]), {
      kind: 'merge',
      projectId,
    });
    expect(refused).toMatchObject({
      ok: false,
      problems: [
        {
          line: 2,
          field: 'id',
          reason: 'the project already holds another sample with this id (line 2 of first.jsonl)',
        },
      ],
    });
    expect(await new DexieReads(db, store.gate).importedCount(projectId)).toBe(2);
  });
});

describe('bad lines', () => {
  it('reports every kind with its line number and field, and stores nothing', async () => {
    const { db, store } = freshStore();
    const good = naturalRecord(1);
    const lines: (string | object | Uint8Array)[] = [
      good,
      '{"id": "pkg/mod1.py::f1::11",',
      withField(naturalRecord(2), 'instruction', undefined),
      withField(naturalRecord(3), 'tests', 'assert f3(1) == 4'),
      withField(naturalRecord(4), 'method', 'evol-instruct'),
      { ...naturalRecord(5), schema_version: 2, brand_new_field: true },
      withField(good, 'response', 'def f1(x):\n    return x + 2'),
      good,
      JSON.stringify(withField(naturalRecord(6), 'instruction', 'x'.repeat(MAX_LINE_BYTES))),
      new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      '',
      llmRecord(7),
    ];
    const result = await intoNew(store, jsonlFile('bad.jsonl', lines));
    expect(result).toEqual({
      ok: false,
      count: 8,
      lines: 11,
      problems: [
        { line: 2, field: null, reason: expect.stringMatching(/^not JSON \(/) },
        { line: 3, field: 'instruction', reason: 'missing' },
        { line: 4, field: 'tests', reason: 'not a list' },
        { line: 5, field: 'method', reason: 'unknown method "evol-instruct" (natural-doctest or inverse-semi)' },
        {
          line: 6,
          field: 'schema_version',
          reason: '2 is newer than this app reads (1): the file was written by a newer release; update the app',
        },
        { line: 7, field: 'id', reason: 'the same id as line 1, with other content' },
        { line: 9, field: null, reason: expect.stringMatching(/^longer than 1 MiB \(\d+ bytes\)$/) },
        { line: 10, field: null, reason: 'not valid UTF-8 (at byte 3 of the line)' },
      ],
    });
    expect(await db.imported.count()).toBe(0);
    expect(await db.projects.count()).toBe(0);
  });

  it('lists the first 100 and counts the rest', async () => {
    const { store } = freshStore();
    const result = await intoNew(
      store,
      jsonlFile(
        'junk.jsonl',
        Array.from({ length: 250 }, () => 'nope'),
      ),
    );
    expect(result).toMatchObject({ ok: false, count: 250, lines: 250 });
    const { problems } = result as { problems: { line: number }[] };
    expect(problems.length).toBe(100);
    expect(problems.at(-1)!.line).toBe(100);
  });

  it('refuses an empty file', async () => {
    const { store } = freshStore();
    expect(await intoNew(store, fileOf('\n\n'))).toEqual({
      ok: false,
      count: 1,
      lines: 0,
      problems: [{ line: 0, field: null, reason: 'the file holds no samples' }],
    });
  });

  it('accepts CRLF, a byte-order mark, blank lines and a last line without a newline', async () => {
    const { store } = freshStore();
    const records = [naturalRecord(1), llmRecord(2), naturalRecord(3)];
    const text = `\ufeff${JSON.stringify(records[0])}\r\n\r\n${JSON.stringify(records[1])}\r\n${JSON.stringify(records[2])}`;
    const result = await intoNew(store, fileOf(text, 'windows.jsonl'));
    expect(result).toMatchObject({ ok: true, lines: 3, added: 3 });
    const again = await exported(store, (result as { projectId: string }).projectId);
    expect(sorted(again.lines)).toEqual(sorted(records.map((r) => JSON.stringify(r))));
  });

  it('stores an identical line once', async () => {
    const { db, store } = freshStore();
    const result = await intoNew(store, jsonlFile('twice.jsonl', [naturalRecord(1), naturalRecord(1)]));
    expect(result).toMatchObject({ ok: true, lines: 2, added: 1, same: 1 });
    expect(await db.imported.count()).toBe(1);
  });

  it('refuses the import when the file changes between checking and storing', async () => {
    const { db, store } = freshStore();
    let reads = 0;
    const good = jsonlFile('a.jsonl', [naturalRecord(1), naturalRecord(2)]);
    const edited = jsonlFile('a.jsonl', [naturalRecord(1), 'oops']);
    const file: ImportSource = {
      name: 'a.jsonl',
      size: good.size,
      stream: () => (reads++ === 0 ? good : edited).stream(),
    };
    expect(await intoNew(store, file)).toMatchObject({
      ok: false,
      problems: [
        { line: 2, field: null, reason: expect.stringMatching(/^the file changed since it was checked: not JSON/) },
      ],
    });
    expect(await db.imported.count()).toBe(0);
    expect(await db.projects.count()).toBe(0);
  });
});

describe('all or nothing', () => {
  /** 1,200 lines: three batches. The second batch's write fails as a full disk makes it fail. */
  function failSecondPut(db: SemiverseDb): void {
    const real = db.imported.bulkPut.bind(db.imported);
    let calls = 0;
    db.imported.bulkPut = ((...args: Parameters<typeof real>) => {
      calls += 1;
      const put = real(...args);
      return calls === 2
        ? put.then(() => {
            throw new StorageError('quota', 'The browser ran out of storage space for this site.');
          })
        : put;
    }) as typeof db.imported.bulkPut;
  }
  const many = (): File =>
    jsonlFile(
      'many.jsonl',
      Array.from({ length: 1200 }, (_, i) => naturalRecord(i)),
    );

  it('leaves nothing of a new project when storage fails mid-import', async () => {
    const { db, store } = freshStore();
    failSecondPut(db);
    const failed = intoNew(store, many());
    await expect(failed).rejects.toBeInstanceOf(StorageError);
    await expect(failed).rejects.toMatchObject({ code: 'quota' });
    expect(await db.imported.count()).toBe(0);
    expect(await db.projects.count()).toBe(0);
  });

  it('leaves a merged project as it was when storage fails mid-import', async () => {
    const { db, store } = freshStore();
    const made = await intoNew(store, jsonlFile('first.jsonl', [naturalRecord(5000), naturalRecord(5001)]));
    const projectId = (made as { projectId: string }).projectId;
    const before = await db.imported.toArray();
    failSecondPut(db);
    await expect(importJsonl(store, many(), { kind: 'merge', projectId })).rejects.toMatchObject({ code: 'quota' });
    expect(await db.imported.toArray()).toEqual(before);
  });

  it('leaves nothing when cancelled while storing', async () => {
    const { db, store } = freshStore();
    const abort = new AbortController();
    const result = importJsonl(
      store,
      many(),
      { kind: 'new', projectId: 'cancelled', now: Date.now() },
      {
        signal: abort.signal,
        onProgress: (p) => {
          if (p.stage === 'storing') abort.abort();
        },
      },
    );
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    expect(await db.imported.count()).toBe(0);
    expect(await db.projects.count()).toBe(0);
  });
});

describe('stored imported lines', () => {
  it('are checked when read: a row edited by hand is left out and reported', async () => {
    const { db, store } = freshStore();
    const made = await intoNew(store, jsonlFile('ok.jsonl', [naturalRecord(1), naturalRecord(2)]));
    const projectId = (made as { projectId: string }).projectId;
    const [row] = await db.imported.toArray();
    await db.imported.put({ ...row!, record: withField(row!.record, 'tests', 'assert True') });
    const page = await store.importedPage(projectId, null, 10);
    expect(page.rows.length).toBe(1);
    expect(page.last).toBeNull();
    expect(store.gate.problems).toEqual([
      { table: 'imported', key: row!.id, reason: 'imported.record.tests: not a list' },
    ]);
  });

  it('are read a page at a time, in id order', async () => {
    const { store } = freshStore();
    const made = await intoNew(
      store,
      jsonlFile(
        'five.jsonl',
        [5, 3, 1, 4, 2].map((n) => naturalRecord(n)),
      ),
    );
    const projectId = (made as { projectId: string }).projectId;
    const ids: string[] = [];
    let pages = 0;
    for (let after: string | null = null; ;) {
      const page = await store.importedPage(projectId, after, 2);
      pages += 1;
      ids.push(...page.rows.map((r) => r.id));
      if (page.last === null) break;
      after = page.last;
    }
    expect(ids).toEqual([...ids].sort());
    expect(ids.length).toBe(5);
    expect(pages).toBe(3);
  });

  it('go with their project when it is deleted', async () => {
    const { db, store } = freshStore();
    const made = await intoNew(store, jsonlFile('ok.jsonl', [naturalRecord(1)]));
    await store.deleteProject((made as { projectId: string }).projectId);
    expect(await db.imported.count()).toBe(0);
  });
});
