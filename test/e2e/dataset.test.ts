/**
 * The dataset export through the UI in headless Chromium: a folder with an MIT LICENSE, a file with an
 * SPDX header, a planted copy of a HumanEval task and a planted AWS key runs in natural mode; the export
 * tab lists both findings; the zip download holds the card, dataset_info.json and a file per chosen
 * format; with the default choices neither planted sample is in it; every line of every format validates
 * against what its trainers read and loads through LLaMA-Factory's reader; the card names MIT, the counts
 * and no secret. Read back with the app's own zip reader and with CPython's zipfile.
 */
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanEval } from '../builders/benchmarks.ts';
import { DISTINCT_FUNCTIONS } from '../builders/distinctFunctions.ts';
import { makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { SCHEMAS, llamaFactoryLoad, readJsonl, validate } from '../builders/trainerFormats.ts';
import { readZipOurs, readZipPython } from '../builders/zipRead.ts';
import { chooseFolder, openApp, readStats, waitForStatus, type Session } from './support/app.ts';

/** A key in AWS's documented shape (AKIA + 16), not the documentation's own example, which scanners allow. */
const AWS_KEY = 'AKIAZ4Q7W2X9R3T5Y6U1';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mRt2Lk9';
const HE0 = humanEval()[0]!;

function folder(): FileMap {
  const files: FileMap = {
    LICENSE: readFileSync(new URL('../../data/benchmarks/LICENSE-HumanEval', import.meta.url), 'utf8'),
    'lib/geometry.py':
      '# SPDX-License-Identifier: MIT\nimport math\n\n\ndef circle_area(r):\n    """Area of a circle of radius r.\n\n    >>> round(circle_area(2), 3)\n    12.566\n    """\n    return math.pi * r * r\n',
    'planted/copied.py': HE0.prompt + HE0.canonical_solution,
    // The keys are module constants the function reads, so its standalone program (the sample) holds them.
    'planted/cloud.py': `AWS_ACCESS_KEY_ID = "${AWS_KEY}"\nAWS_SECRET_ACCESS_KEY = "${AWS_SECRET}"\n\n\ndef credentials(zone):\n    """The key pair and region of an availability zone.\n\n    >>> credentials("eu-west-1a")[2]\n    'eu-west-1'\n    """\n    return AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, zone[:-1]\n`,
  };
  for (const fn of DISTINCT_FUNCTIONS.slice(0, 8)) files[`lib/${fn.name}.py`] = fn.source;
  return files;
}

let root: string;
let dir: string;
let session: Session;

beforeAll(async () => {
  root = await makeTempDir('semiverse-e2e-dataset-');
  dir = join(root, 'planted');
  await writeFiles(dir, folder());
  session = await openApp();
});
afterAll(async () => {
  await session?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the dataset export in Chromium', () => {
  it('runs the folder to done, the licence read and not skipped', async () => {
    const { page } = session;
    await chooseFolder(page, dir);
    await waitForStatus(page, 'done');
    const stats = await readStats(page);
    expect(stats.passed).toBe(11);
    expect(stats.skipped).toBe(0); // LICENSE is read as a licence, not skipped as "not Python"
  });

  it('lists the benchmark copy and the secret among the findings', async () => {
    const { page } = session;
    await page.click('[data-testid=dataset-tab]');
    const findings = page.locator('[data-testid=finding]');
    await expect.poll(() => findings.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const benchmark = page.locator('[data-testid=finding][data-kind=benchmark]');
    expect(await benchmark.count()).toBeGreaterThan(0);
    expect(await benchmark.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('HumanEval/0')]));
    expect(await benchmark.first().textContent()).toContain('planted/copied.py');
    // The overlapping text is shown: HumanEval/0's loop, as the planted file has it.
    expect((await benchmark.allTextContents()).join('\n')).toContain('for idx, elem in enumerate(numbers)');
    const secret = page.locator('[data-testid=finding][data-kind=secret]');
    expect(await secret.count()).toBeGreaterThan(0);
    const secretText = (await secret.allTextContents()).join('\n');
    expect(secretText).toContain('planted/cloud.py');
    expect(secretText).toContain('aws-access-key-id');
    // The newest-Python filter says what each choice keeps of the 11 screened samples (all parse with 3.8).
    const option = page.locator('[data-testid=export-max-python] option[value="3.9"]');
    await expect.poll(() => option.textContent(), { timeout: 10_000 }).toBe('3.9 (keeps 11 of 11)');
    expect(secretText).toContain('AKIA********');
    expect(secretText).not.toContain(AWS_KEY);
    expect(secretText).not.toContain(AWS_SECRET);
  });

  it('downloads the zip: every format validates, the planted samples are out, the card names MIT and no secret', async () => {
    const { page } = session;
    for (const format of ['alpaca', 'sharegpt']) await page.check(`[data-testid=export-format-${format}]`);
    await page.fill('[data-testid=export-system]', 'You write correct Python.');
    await page.locator('[data-testid=export-system]').dispatchEvent('change');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-zip]')]);
    expect(download.suggestedFilename()).toMatch(/^semiverse-planted-\d{4}-\d{2}-\d{2}\.zip$/);
    const path = await download.path();
    const blob = new Blob([await readFile(path)]);
    const { files } = await readZipOurs(blob);
    const text = new Map([...files].map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));
    expect([...text.keys()].sort()).toEqual([
      'README.md',
      'alpaca/train.jsonl',
      'dataset_info.json',
      'messages/train.jsonl',
      'raw/train.jsonl',
      'sharegpt/train.jsonl',
    ]);
    // CPython's zipfile agrees, entry by entry (testzip() checks every CRC).
    const python = readZipPython(path);
    expect(python).toHaveLength(6);
    for (const entry of python)
      expect(Buffer.from(entry.data, 'base64').toString('utf8')).toBe(
        text.get(entry.name.split('/').slice(1).join('/')),
      );

    const raw = readJsonl(text.get('raw/train.jsonl')!);
    const paths = raw.map((r) => (r['source'] as { path: string }).path);
    expect(raw).toHaveLength(9);
    expect(paths).not.toContain('planted/copied.py');
    expect(paths).not.toContain('planted/cloud.py');
    for (const format of ['raw', 'messages', 'alpaca', 'sharegpt'] as const) {
      const rows = readJsonl(text.get(`${format}/train.jsonl`)!);
      expect(rows, format).toHaveLength(9);
      for (const row of rows) expect(validate(row, SCHEMAS[format]), format).toEqual([]);
    }
    const info = JSON.parse(text.get('dataset_info.json')!) as Record<string, Record<string, unknown>>;
    for (const [name, examples] of llamaFactoryLoad(info, text)) {
      expect(examples, name).toHaveLength(9);
      if (!name.endsWith('_raw')) expect(examples[0]!.system, name).toBe('You write correct Python.');
    }

    const card = text.get('README.md')!;
    expect(card).toMatch(/^---\nlicense: mit\n/);
    expect(card).toContain('| `LICENSE` | licence file | MIT |');
    expect(card).toContain('| `lib/geometry.py` | SPDX header | MIT |');
    expect(card).toContain('**9 samples** (9 natural, 0 LLM)');
    expect(card).toMatch(/\| HumanEval \| 1 \| \d+ \| 1 \| 0 \|/);
    expect(card).toContain('| secret | aws-access-key-id | 1 | 1 | dropped |');
    expect(card).toContain('copies a benchmark task (HumanEval, MBPP): 1; holds a secret (key, token, password): 1');
    for (const content of text.values()) {
      expect(content).not.toContain(AWS_KEY);
      expect(content).not.toContain(AWS_SECRET);
    }
    expect(await page.textContent('[data-testid=export-summary]')).toMatch(
      /^Wrote 9 samples in 4 files; dropped 1 benchmark copies, 1 with secrets\.$/,
    );
  });

  it('"Download JSONL" still downloads one raw JSONL file, with the same choices', async () => {
    const { page } = session;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-jsonl]')]);
    expect(download.suggestedFilename()).toMatch(/^semiverse-planted-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const rows = readJsonl(await readFile(await download.path(), 'utf8'));
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(validate(row, SCHEMAS.raw)).toEqual([]);
  });

  it('with secrets redacted and a validation split, the planted key is written masked, on one side', async () => {
    const { page } = session;
    await page.selectOption('[data-testid=export-secrets]', 'redact');
    await page.fill('[data-testid=export-validation]', '30');
    await page.locator('[data-testid=export-validation]').dispatchEvent('change');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-zip]')]);
    const { files } = await readZipOurs(new Blob([await readFile(await download.path())]));
    const text = new Map([...files].map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));
    const raw = ['raw/train.jsonl', 'raw/validation.jsonl'].flatMap((name) => readJsonl(text.get(name) ?? ''));
    expect(raw).toHaveLength(10);
    const cloud = raw.find((r) => (r['source'] as { path: string }).path === 'planted/cloud.py')!;
    expect(cloud['response']).toContain('AWS_ACCESS_KEY_ID = "<REDACTED_AWS_KEY>"');
    expect(cloud['response']).toContain('AWS_SECRET_ACCESS_KEY = "<REDACTED_AWS_SECRET>"');
    expect(cloud['findings']).toMatchObject({ redacted: true });
    for (const content of text.values()) {
      expect(content).not.toContain(AWS_KEY);
      expect(content).not.toContain(AWS_SECRET);
    }
    // No source file on both sides of the split.
    const sides = new Map<string, Set<string>>();
    for (const name of ['raw/train.jsonl', 'raw/validation.jsonl'])
      for (const row of readJsonl(text.get(name) ?? '')) {
        const path = (row['source'] as { path: string }).path;
        sides.set(path, (sides.get(path) ?? new Set()).add(name));
      }
    expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
    expect(await page.textContent('[data-testid=export-summary]')).toMatch(
      /^Wrote 10 samples in \d files, train \d+, validation \d+; dropped 1 benchmark copies; redacted 1\.$/,
    );
  });
});
