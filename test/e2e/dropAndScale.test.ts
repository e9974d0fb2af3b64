/**
 * The other ways in (files and a .zip dropped on the page) and the table at scale: 20,000 functions stay
 * a virtualised list that scrolls and filters.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { chooseFolder, openApp, readStats, waitForStatus, type Session } from './support/app.ts';

/** Drop files (name → bytes) on the drop zone, as a DataTransfer of Files like a synthetic drag gives. */
async function dropFiles(page: Page, files: Record<string, number[]>): Promise<void> {
  await page.evaluate((entries) => {
    const transfer = new DataTransfer();
    for (const [name, bytes] of Object.entries(entries)) transfer.items.add(new File([new Uint8Array(bytes)], name));
    const zone = document.querySelector('section[aria-label="Drop a folder"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files);
}

const bytes = (text: string) => [...new TextEncoder().encode(text)];

let session: Session;
let root: string;

beforeAll(async () => {
  root = await makeTempDir('semiverse-drop-');
  session = await openApp();
});

afterAll(async () => {
  await session?.close();
  await rm(root, { recursive: true, force: true });
});

describe('dropping onto the page', () => {
  it('runs dropped Python files', async () => {
    const { page } = session;
    await page.waitForSelector('text=Drop a folder of Python code here');
    await dropFiles(page, {
      'triple.py': bytes(
        'def triple(x):\n    """Three times x.\n\n    >>> triple(3)\n    9\n    """\n    return 3 * x\n',
      ),
      'notes.txt': bytes('not code\n'),
    });
    await waitForStatus(page, 'done');
    const stats = await readStats(page);
    expect(stats).toMatchObject({ read: 1, skipped: 1, functions: 1, passed: 1 });
  });

  it('runs a dropped .zip archive', async () => {
    const { page } = session;
    const folder = join(root, 'zipped');
    await writeFiles(folder, {
      'pkg/half.py': 'def half(x):\n    """Half of x.\n\n    >>> half(8)\n    4.0\n    """\n    return x / 2\n',
      'pkg/bad.py': 'def bad(:\n',
    });
    const zip = join(root, 'zipped.zip');
    execFileSync('python3', [
      '-c',
      `import shutil; shutil.make_archive(${JSON.stringify(zip.slice(0, -4))}, 'zip', ${JSON.stringify(folder)})`,
    ]);
    await dropFiles(page, { 'zipped.zip': [...readFileSync(zip)] });
    // Every entry sits under pkg/, so the project is named after that folder (like a GitHub archive).
    await page.waitForFunction(() => document.querySelector('h2')?.textContent === 'pkg');
    await waitForStatus(page, 'done');
    expect(await readStats(page)).toMatchObject({ read: 2, notParsed: 1, functions: 1, passed: 1 });
  });

  it('explains a drop that holds nothing it can read', async () => {
    const { page } = session;
    await page.evaluate(() => {
      const zone = document.querySelector('section[aria-label="Drop a folder"]')!;
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: new DataTransfer(), bubbles: true, cancelable: true }));
    });
    expect(await page.textContent('[role=alert]')).toMatch(/\w+/);
  });
});

describe('a project with 20,000 functions', () => {
  it('lists them all in a table that renders only what is in view, scrolls to the end and filters', async () => {
    const { page } = session;
    const files: FileMap = {};
    for (let f = 0; f < 100; f++) {
      let text = '';
      for (let g = 0; g < 200; g++) text += `def fn_${f}_${g}(x):\n    return x + ${g}\n\n`;
      files[`big/mod${String(f).padStart(3, '0')}.py`] = text;
    }
    await writeFiles(join(root, 'big'), files);
    await chooseFolder(page, join(root, 'big'));
    await page.waitForFunction(() => document.querySelector('h2')?.textContent === 'big');
    await waitForStatus(page, 'done');
    expect((await readStats(page)).functions).toBe(20_000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=function-row]').length > 0);
    expect(await page.textContent('.filters button:first-child')).toContain('20000');

    const rendered = await page.$$eval('[data-testid=function-row]', (rows) => rows.length);
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);
    await page.$eval('[aria-label=Functions]', (el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector('[data-testid=function-row] >> text=fn_99_199');
    expect(await page.$$eval('[data-testid=function-row]', (rows) => rows.length)).toBeLessThan(100);

    await page.fill('input[type=search]', 'fn_42_');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=function-row] .name')?.textContent?.startsWith('fn_42_'),
    );
    const names = await page.$$eval('[data-testid=function-row] .name', (els) => els.map((e) => e.textContent ?? ''));
    expect(names.every((n) => n.startsWith('fn_42_'))).toBe(true);
  });
});
