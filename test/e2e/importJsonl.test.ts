/**
 * Importing an exported JSONL through the UI in headless Chromium: a folder runs to done and its JSONL is
 * downloaded; that file with one bad line, imported as a new project, gives a report naming the line and
 * the field, and no project; the fixed file makes a project with its samples, whose "Download JSONL" gives
 * the same lines back; importing it again into that project adds nothing.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withField } from '../builders/exportLines.ts';
import { makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { chooseFolder, downloadJsonl, openApp, waitForStatus, type Session } from './support/app.ts';

function doctested(i: number): string {
  return `def scale_${i}(x):\n    """Multiply x by ${i + 2}.\n\n    >>> scale_${i}(3)\n    ${3 * (i + 2)}\n    """\n    return x * ${i + 2}\n`;
}

let dir: string;
let session: Session;

beforeAll(async () => {
  dir = await makeTempDir('semiverse-e2e-import-');
  const files: FileMap = {};
  for (let i = 0; i < 5; i++) files[`demo/lib/scale_${i}.py`] = doctested(i);
  await writeFiles(dir, files);
  session = await openApp();
});
afterAll(async () => {
  await session?.close();
  await rm(dir, { recursive: true, force: true });
});

const sorted = (raw: string): string[] =>
  raw
    .split('\n')
    .filter((line) => line !== '')
    .sort();

describe('importing a JSONL in Chromium', () => {
  it('reports a bad line and imports nothing, then imports the fixed file and exports the same lines', async () => {
    const { page } = session;
    await chooseFolder(page, join(dir, 'demo'));
    await waitForStatus(page, 'done');
    const original = await downloadJsonl(page);
    const lines = original.raw.split('\n').filter((line) => line !== '');
    expect(lines.length).toBe(5);

    const broken = [...lines];
    broken[1] = JSON.stringify(withField(JSON.parse(lines[1]!) as object, 'tests', 'assert True'));
    const brokenPath = join(dir, 'broken.jsonl');
    await writeFile(brokenPath, broken.join('\n') + '\n');
    const projects = (): Promise<number> =>
      page.$$eval('[data-testid=project-select] option', (options) => options.length);
    const before = await projects();
    await page.setInputFiles('[data-testid=import-input]', brokenPath);
    const report = await page.waitForSelector('[data-testid=import-report]');
    const text = (await report.textContent()) ?? '';
    expect(text).toContain('broken.jsonl was not imported');
    expect(text).toContain('1 bad line of 5');
    expect(
      await page.$$eval('[data-testid=import-problem]', (items) => items.map((i) => i.textContent?.trim())),
    ).toEqual([expect.stringMatching(/^line 2\s+tests\s+not a list$/)]);
    expect(await projects()).toBe(before);
    expect(await page.textContent('h2')).toBe('demo');

    const fixedPath = join(dir, 'fixed.jsonl');
    await writeFile(fixedPath, original.raw);
    await page.setInputFiles('[data-testid=import-input]', fixedPath);
    await page.waitForFunction(() => document.querySelector('h2')?.textContent === 'fixed');
    expect(await page.textContent('[data-testid=import-result]')).toMatch(
      /Imported 5 samples from fixed\.jsonl into “fixed”/,
    );
    expect(await page.textContent('[data-testid=imported-count]')).toBe('5 imported samples');
    // The new project waits in its screening phase; its run starts by itself and screens the lines.
    await waitForStatus(page, 'done');
    expect(await projects()).toBe(before + 1);

    const again = await downloadJsonl(page);
    expect(again.fileName).toMatch(/^semiverse-fixed-\d{4}-\d{2}-\d{2}\.jsonl$/);
    expect(sorted(again.raw)).toEqual(sorted(original.raw));

    await page.setInputFiles('[data-testid=import-into-input]', fixedPath);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=import-result]')?.textContent?.includes('5 already there'),
    );
    expect(await page.textContent('[data-testid=import-result]')).toMatch(/Imported 0 samples from fixed\.jsonl/);
    expect(await page.textContent('[data-testid=imported-count]')).toBe('5 imported samples');
  });
});
