/**
 * The dataset export end to end in Node: a real natural-mode run (real ingest, the Python harness in
 * process, fake-indexeddb) over a folder with a licence, an SPDX header, a planted HumanEval copy, a
 * planted AWS key, an e-mail address, repeated instructions and code that needs Python 3.10; screened by
 * screens with plain rules (test/fakes/ruleScreens.ts: the real screens are tested in core/screen); then
 * exported as the zip a person downloads, read back with our reader and CPython's zipfile, every line
 * checked against what trainers read, for each of the person's choices.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../adapters/storage/db.ts';
import { DexieStore } from '../../adapters/storage/dexieStore.ts';
import type { FindingsRow } from '../../domain/dataset.ts';
import { SCHEMA_VERSION, type ProjectRow } from '../../domain/records.ts';
import { humanEval } from '../../../test/builders/benchmarks.ts';
import { DISTINCT_FUNCTIONS } from '../../../test/builders/distinctFunctions.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from '../../../test/builders/fsFolder.ts';
import { nodeRunner } from '../../../test/builders/pyodideRunner.ts';
import { SCHEMAS, llamaFactoryLoad, readJsonl, validate } from '../../../test/builders/trainerFormats.ts';
import { readZipOurs, readZipPython } from '../../../test/builders/zipRead.ts';
import { InProcessPython } from '../../../test/fakes/inProcessPython.ts';
import { RuleScreens } from '../../../test/fakes/ruleScreens.ts';
import { newProject, runProject } from '../run/runProject.ts';
import { screenStage } from '../screen/screenStage.ts';
import { DEFAULT_DATASET_OPTIONS, droppedTotal, type DatasetOptions } from './exportDataset.ts';
import { datasetZip, rawJsonl } from './downloads.ts';
import { DATASET_FORMATS } from './formats.ts';

const AWS_KEY = 'AKIAZ4Q7W2X9R3T5Y6U1';
const HE0 = humanEval()[0]!;
const MIT = readFileSync(new URL('../../../data/benchmarks/LICENSE-HumanEval', import.meta.url), 'utf8');

function folder(): FileMap {
  const files: FileMap = { LICENSE: MIT, 'pkg/__init__.py': '' };
  files['pkg/geometry.py'] =
    '# SPDX-License-Identifier: MIT\nimport math\n\n\ndef circle_area(r):\n    """Area of a circle of radius r.\n\n    >>> round(circle_area(2), 3)\n    12.566\n    """\n    return math.pi * r * r\n';
  files['planted/copied.py'] = HE0.prompt + HE0.canonical_solution;
  files['planted/keys.py'] =
    `AWS_ACCESS_KEY_ID = "${AWS_KEY}"\n\n\ndef key_prefix():\n    """Return the first four characters of the configured key.\n\n    >>> key_prefix()\n    'AKIA'\n    """\n    return AWS_ACCESS_KEY_ID[:4]\n`;
  files['planted/contact.py'] =
    'def greeting(name):\n    """Greet someone; questions go to jane.roe@gmail.com.\n\n    >>> greeting("Ann")\n    \'Hello, Ann\'\n    """\n    return "Hello, " + name\n';
  files['modern/kinds.py'] =
    'def kind(x):\n    """Name the kind of a value.\n\n    >>> kind(1)\n    \'int\'\n    """\n    match x:\n        case int():\n            return "int"\n        case _:\n            return "other"\n';
  // Two instructions alike, code not: duplicate instructions, not duplicate functions.
  files['dup/one.py'] =
    'def total(xs):\n    """Return the sum of the values.\n\n    >>> total([1, 2])\n    3\n    """\n    return sum(xs)\n';
  files['dup/two.py'] =
    'def add_all(values):\n    """Return the sum of the values.\n\n    >>> add_all([2, 2])\n    4\n    """\n    result = 0\n    for v in values:\n        result += v\n    return result\n';
  for (const fn of DISTINCT_FUNCTIONS) files[`mods/${fn.name}.py`] = fn.source;
  // An exact copy of a function: it passes too, and deduplication leaves one of the two out of the export.
  files['copies/fib.py'] = DISTINCT_FUNCTIONS.find((fn) => fn.name === 'fib')!.source;
  return files;
}

let dir: string;
let storage: DexieStore;
let project: ProjectRow;
let screens: RuleScreens;
const versionOf = async (sources: readonly string[]) => (/\n\s+match /.test(sources[0] ?? '') ? '3.10' : '3.8');

beforeAll(async () => {
  dir = await makeTempDir('semiverse-dataset-');
  await writeFiles(dir, folder());
  storage = new DexieStore(new SemiverseDb(`dataset-export-${Date.now()}`));
  const source = folderFromDisk(dir, 'planted');
  const created = newProject('dataset', source, Date.now());
  await storage.createProject(created);
  screens = new RuleScreens(versionOf);
  const python = new InProcessPython(await nodeRunner());
  await runProject({ storage, python, screens: async () => screens }, created.id, undefined, source);
  project = (await storage.project(created.id))!;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function exportZip(options: Partial<DatasetOptions> = {}) {
  const now = new Date(Date.UTC(2026, 1, 3, 12));
  const download = await datasetZip(storage, project, { ...DEFAULT_DATASET_OPTIONS, ...options }, screens, now);
  const path = join(dir, `export-${Math.random().toString(36).slice(2)}.zip`);
  await writeFile(path, new Uint8Array(await download.blob.arrayBuffer()));
  const ours = await readZipOurs(download.blob);
  const text = new Map([...ours.files].map(([p, bytes]) => [p, new TextDecoder().decode(bytes)]));
  return { ...download, path, ours, text };
}

const idsIn = (jsonl: string | undefined) => readJsonl(jsonl ?? '').map((r) => String(r['id']));
const frontMatter = (card: string): Record<string, unknown> => {
  const yaml = /^---\n([\s\S]*?)\n---\n/.exec(card)?.[1] ?? '';
  const run = spawnSync(
    'python3',
    ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'],
    {
      input: yaml,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
};

describe('a natural run, screened', () => {
  it('ran to done with every sample screened', async () => {
    expect(project.notice).toBeNull();
    expect(project.phase).toBe('done');
    expect(project.counts.byStatus.passed).toBe(20);
    const key = (await storage.findings(project.id, ['planted/keys.py::key_prefix::4']))[0];
    expect(key?.findings.map((f) => f.kind)).toEqual(['secret']);
    expect(JSON.stringify(key)).not.toContain(AWS_KEY);
  });
});

describe('the zip with the default choices', () => {
  it('holds the card, dataset_info.json and one file per format, and CPython reads it the same', async () => {
    const zip = await exportZip();
    expect(zip.fileName).toBe('semiverse-planted-2026-02-03.zip');
    expect(zip.ours.top).toBe('semiverse-planted-2026-02-03');
    expect([...zip.ours.files.keys()].sort()).toEqual([
      'README.md',
      'dataset_info.json',
      'messages/train.jsonl',
      'raw/train.jsonl',
    ]);
    const python = readZipPython(zip.path);
    expect(python.map((e) => e.name)[0]).toBe('semiverse-planted-2026-02-03/README.md');
    for (const entry of python)
      expect(Buffer.from(entry.data, 'base64').toString('utf8')).toBe(
        zip.text.get(entry.name.split('/').slice(1).join('/')),
      );
  });

  it('drops the benchmark copy, the secret and the personal data, and says so', async () => {
    const zip = await exportZip();
    const ids = idsIn(zip.text.get('raw/train.jsonl'));
    expect(ids).toHaveLength(16);
    for (const planted of ['planted/copied.py', 'planted/keys.py', 'planted/contact.py'])
      expect(
        ids.some((id) => id.startsWith(planted)),
        planted,
      ).toBe(false);
    expect(droppedTotal(zip.report)).toEqual({ benchmark: 1, secret: 1, pii: 1 });
    expect(zip.report.tally.benchmark['HumanEval']).toEqual({ samples: 1, dropped: 1, tasks: ['HumanEval/0'] });
    for (const [path, content] of zip.text) expect(content, path).not.toContain(AWS_KEY);
  });

  it('writes lines every trainer reads: each validates, LLaMA-Factory loads each entry', async () => {
    const zip = await exportZip({ formats: [...DATASET_FORMATS], system: 'You write Python.' });
    for (const format of DATASET_FORMATS)
      for (const row of readJsonl(zip.text.get(`${format}/train.jsonl`)!))
        expect(validate(row, SCHEMAS[format]), format).toEqual([]);
    const info = JSON.parse(zip.text.get('dataset_info.json')!) as Record<string, Record<string, unknown>>;
    const loaded = llamaFactoryLoad(info, zip.text);
    expect([...loaded.keys()].sort()).toEqual(DATASET_FORMATS.map((f) => `semiverse_planted_${f}`).sort());
    for (const [name, examples] of loaded) {
      expect(examples).toHaveLength(16);
      if (!name.endsWith('_raw'))
        expect(
          examples.every((e) => e.system === 'You write Python.'),
          name,
        ).toBe(true);
    }
  });

  it('has a card with Hugging Face front matter naming MIT, the sizes and every file, and no secret', async () => {
    const zip = await exportZip({ formats: ['raw', 'alpaca', 'messages'], validation: 0.3 });
    const card = zip.text.get('README.md')!;
    const meta = frontMatter(card);
    expect(meta['license']).toBe('mit');
    expect(meta['size_categories']).toEqual(['n<1K']);
    expect(meta['task_categories']).toEqual(['text-generation']);
    expect(meta['language']).toEqual(['en']);
    const configs = meta['configs'] as {
      config_name: string;
      default?: boolean;
      data_files: { split: string; path: string }[];
    }[];
    expect(configs.map((c) => c.config_name)).toEqual(['messages', 'raw', 'alpaca']);
    expect(configs[0]!.default).toBe(true);
    for (const config of configs)
      for (const file of config.data_files) expect(zip.text.has(file.path), file.path).toBe(true);
    expect(card).toContain('| `LICENSE` | licence file | MIT |');
    expect(card).toContain('| `pkg/geometry.py` | SPDX header | MIT |');
    expect(card).toContain('| HumanEval | 1 | 1 | 1 | 0 |');
    expect(card).toContain('| secret | aws-access-key-id | 1 | 1 | dropped |');
    expect(card).toContain(
      `**16 samples** (16 natural, 0 LLM); train ${zip.report.splits.train}, validation ${zip.report.splits.validation}.`,
    );
    // The natural funnel adds up: every passed function is a sample written, or left out for a reason given.
    const funnel = new Map([...card.matchAll(/^\| ([^|]+?) \| ([^|]+?) \|$/gm)].map((m) => [m[1]!, m[2]!] as const));
    const count = (label: string) => Number(funnel.get(label)?.replace(/,/g, ''));
    const leftOut = [...(funnel.get('left out at export') ?? '').matchAll(/: (\d+)/g)].map((m) => Number(m[1]));
    expect(count('doctests passed (twice, under two seeds)')).toBe(20);
    expect(count('passed but a copy of another function (deduplication: the one kept stands for it)')).toBe(1);
    expect(leftOut).toEqual([1, 1, 1]);
    expect(
      count('passed but a copy of another function (deduplication: the one kept stands for it)') +
        count('passed but no instruction (docstring of examples only)') +
        leftOut.reduce((a, b) => a + b, 0) +
        count('exported'),
    ).toBe(count('doctests passed (twice, under two seeds)'));
    expect(count('exported')).toBe(zip.report.lines);
    expect(card).toContain('CPython 3.14');
    expect(card).not.toContain(AWS_KEY);
    expect(card).not.toContain('jane.roe@gmail.com');
  });
});

describe('the split', () => {
  it('puts every file on one side, the same samples on each side in every format', async () => {
    const zip = await exportZip({ formats: ['raw', 'sharegpt'], validation: 0.5 });
    const train = readJsonl(zip.text.get('raw/train.jsonl')!);
    const validation = readJsonl(zip.text.get('raw/validation.jsonl')!);
    expect(train.length + validation.length).toBe(16);
    expect(validation.length).toBeGreaterThan(3);
    const pathsOf = (rows: Record<string, unknown>[]) =>
      new Set(rows.map((r) => (r['source'] as { path: string }).path));
    const trainPaths = pathsOf(train);
    for (const path of pathsOf(validation)) expect(trainPaths.has(path), path).toBe(false);
    expect(readJsonl(zip.text.get('sharegpt/validation.jsonl')!)).toHaveLength(validation.length);
    const info = JSON.parse(zip.text.get('dataset_info.json')!) as Record<string, { file_name: string }>;
    expect(info['semiverse_planted_raw_validation']?.file_name).toBe('raw/validation.jsonl');
  });
});

describe("the person's choices", () => {
  it('keeps benchmark copies when asked, marked; redacts secrets and personal data when asked', async () => {
    const zip = await exportZip({ benchmark: 'keep', secrets: 'redact', pii: 'redact' });
    const rows = readJsonl(zip.text.get('raw/train.jsonl')!);
    expect(rows).toHaveLength(19);
    const byPath = (p: string) => rows.find((r) => (r['source'] as { path: string }).path === p)!;
    expect(byPath('planted/copied.py')['findings']).toMatchObject({ benchmark: ['HumanEval/0'], redacted: false });
    const keys = byPath('planted/keys.py');
    expect(keys['response']).toContain('<REDACTED_SECRET>');
    expect(keys['findings']).toMatchObject({ secrets: ['aws-access-key-id'], redacted: true });
    expect(byPath('planted/contact.py')['instruction']).toContain('<REDACTED_EMAIL>');
    expect(zip.report.redacted).toBe(2);
    for (const content of zip.text.values()) expect(content).not.toContain(AWS_KEY);
    expect(zip.text.get('README.md')).toContain('| secret | aws-access-key-id | 1 | 1 | redacted |');
  });

  it('leaves out what needs a newer Python than chosen, and repeated instructions when asked', async () => {
    const older = await exportZip({ maxPython: '3.9' });
    expect(idsIn(older.text.get('raw/train.jsonl')).some((id) => id.startsWith('modern/'))).toBe(false);
    expect(droppedTotal(older.report)['python-version']).toBe(1);
    const rows = readJsonl((await exportZip({ maxPython: '3.10' })).text.get('raw/train.jsonl')!);
    expect(rows.find((r) => String(r['id']).startsWith('modern/'))?.['python_version']).toBe('3.10');
    const deduped = await exportZip({ duplicates: 'drop' });
    expect(droppedTotal(deduped.report)['duplicate-instruction']).toBe(1);
    expect(idsIn(deduped.text.get('raw/train.jsonl')).filter((id) => id.startsWith('dup/'))).toHaveLength(1);
  });

  it('"Download JSONL" writes the same raw lines as one file', async () => {
    const zip = await exportZip({ validation: 0.5 });
    const single = await rawJsonl(
      storage,
      project,
      { ...DEFAULT_DATASET_OPTIONS, validation: 0.5 },
      screens,
      new Date(),
    );
    const lines = readJsonl(await single.blob.text());
    const inZip = [...readJsonl(zip.text.get('raw/train.jsonl')!), ...readJsonl(zip.text.get('raw/validation.jsonl')!)];
    expect(lines.map((r) => r['id']).sort()).toEqual(inZip.map((r) => r['id']).sort());
    expect(single.fileName).toMatch(/^semiverse-planted-\d{4}-\d{2}-\d{2}\.jsonl$/);
  });
});

describe('screening again', () => {
  it('screens only what changed, drops stale screenings, and the export never trusts a stale one', async () => {
    const before = screens.screened;
    const again = await screenStage(storage, project, screens);
    expect(again).toMatchObject({ samples: 19, screened: 0, pruned: 0 });
    expect(screens.screened).toBe(before);

    // A sample whose content changed after its screening (here: its stored program) is dropped as unscreened…
    const id = `${project.id}|mods/gcd.py|1|gcd`;
    const outcome = (await storage.db.outcomes.get(id))!;
    await storage.db.outcomes.put({ ...outcome, program: outcome.program + '\n# changed\n' });
    const stale = await exportZip();
    expect(droppedTotal(stale.report)['unscreened']).toBe(1);
    // …until it is screened again, alone; a screening of a sample that no longer exists is deleted.
    const orphan: FindingsRow = {
      key: `${project.id}|gone.py::f::1`,
      projectId: project.id,
      sampleId: 'gone.py::f::1',
      path: 'gone.py',
      schemaVersion: SCHEMA_VERSION,
      contentKey: 'x',
      findings: [{ kind: 'secret', rule: 'r', field: 'response', line: 1, excerpt: '****' }],
      pythonVersion: '3.8',
    };
    await storage.saveFindings([orphan]);
    const third = await screenStage(storage, project, screens);
    expect(third).toMatchObject({ samples: 19, screened: 1, pruned: 1, duplicates: 1 });
    expect(droppedTotal((await exportZip()).report)['unscreened']).toBeUndefined();
  });
});
