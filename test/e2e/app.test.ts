/**
 * A user's whole journey in headless Chromium on the built app: choose a folder, wait for "done", download
 * the JSONL and check it line by line (native CPython re-runs every sample), reload and find the project,
 * open a function, add a project from a .zip, delete one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanEval } from '../builders/benchmarks.ts';
import { makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { nativeFunctionCounts, nativeRun } from '../builders/nativePython.ts';
import {
  chooseFolder,
  downloadJsonl,
  functionsWithStatus,
  openApp,
  readStats,
  skippedText,
  waitForStatus,
  type Session,
} from './support/app.ts';

const GEOMETRY = `import math
from pkg.units import METRE

UNIT = 1.0


def circle_area(r):
    """Area of a circle of radius r.

    >>> round(circle_area(2), 3)
    12.566
    """
    return math.pi * r * r * UNIT


class Square:
    def __init__(self, side):
        self.side = side

    def area(self):
        """The area of the square.

        >>> Square(3).area()
        9
        """
        return self.side ** 2


def in_metres(x):
    """Convert to metres.

    >>> in_metres(2)
    2
    """
    return x * METRE


def wrong(x):
    """Claims the wrong thing.

    >>> wrong(1)
    3
    """
    return x + 1
`;

function fixture(): FileMap {
  const files: FileMap = {};
  for (const task of humanEval().slice(0, 30))
    files[`humaneval/${task.task_id.replace('/', '_')}.py`] = task.prompt + task.canonical_solution;
  files['pkg/__init__.py'] = '';
  files['pkg/units.py'] = 'METRE = 1\n';
  files['pkg/geometry.py'] = GEOMETRY;
  files['broken.py'] = 'def ok():\n    return 1\n\ndef bad(:\n    pass\n';
  files['README.md'] = '# demo\n';
  files['.gitignore'] = 'build/\n';
  files['build/gen.py'] = 'def generated():\n    return 1\n';
  files['.git/HEAD'] = 'ref: refs/heads/main\n';
  files['__pycache__/geometry.cpython-311.pyc'] = new Uint8Array([0x55, 0x0d, 0x0d, 0x0a, 0, 0]);
  return files;
}

let dir: string;
let files: FileMap;
let session: Session;

beforeAll(async () => {
  dir = join(await makeTempDir('semiverse-e2e-'), 'demo');
  files = fixture();
  await writeFiles(dir, files);
  session = await openApp();
});

afterAll(async () => {
  await session?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the app in Chromium', () => {
  it('says what to do before anything is dropped', async () => {
    await session.page.waitForSelector('text=Drop a folder of Python code here');
    expect(await session.page.isVisible('[data-testid=run-status]')).toBe(false);
  });

  it('runs a chosen folder to "done" and counts what it found', async () => {
    const { page } = session;
    await chooseFolder(page, dir);
    await waitForStatus(page, 'done');
    const stats = await readStats(page);
    const python = Object.entries(files).filter(([p]) => p.endsWith('.py') && !p.startsWith('build/'));
    const native = nativeFunctionCounts(python.map(([path, text]) => ({ path, text: String(text) })));
    const parsed = Object.values(native).filter((n): n is number => n !== null);
    expect(stats.read).toBe(python.length);
    expect(stats.notParsed).toBe(1);
    expect(stats.skipped).toBe(5); // README.md, .gitignore, .git/, __pycache__/, build/ (gitignored)
    expect(stats.functions).toBe(parsed.reduce((a, b) => a + b, 0));
    expect(stats.failed).toBeGreaterThanOrEqual(1);
    expect(stats.notRunnable).toBeGreaterThanOrEqual(1);
    expect(stats.passed).toBeGreaterThan(5);
  });

  it('lists every skipped path with its reason and the file that did not parse with its line', async () => {
    const text = await skippedText(session.page);
    expect(text).toContain('broken.py');
    expect(text).toMatch(/SyntaxError, line 4/);
    expect(text).toMatch(/matched by a \.gitignore[\s\S]*build\//);
    expect(text).toMatch(/version-control folder[\s\S]*\.git\//);
    expect(text).toMatch(/__pycache__ folder[\s\S]*__pycache__\//);
    expect(text).toContain('README.md');
    await session.page.click('[role=tab]:first-child');
  });

  it('exports only verified samples, each of which passes again under native CPython', async () => {
    const { page } = session;
    const stats = await readStats(page);
    const { fileName, records, raw } = await downloadJsonl(page);
    expect(fileName).toMatch(/^semiverse-demo-\d{4}-\d{2}-\d{2}\.jsonl$/);
    expect(raw.endsWith('\n')).toBe(true);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThanOrEqual(stats.passed);

    const passed = await functionsWithStatus(page, 'passed');
    const entryPoints = records.map((r) => r.entry_point);
    expect(entryPoints).toContain('circle_area');
    expect(entryPoints).toContain('Square.area');
    expect(entryPoints).not.toContain('wrong');
    expect(entryPoints).not.toContain('in_metres');
    for (const record of records) {
      expect(passed).toContain(record.id.split('::')[1]);
      expect(record.method).toBe('natural-doctest');
      expect(record.schema_version).toBe(1);
      expect(record.instruction.length).toBeGreaterThan(0);
      expect(record.instruction).not.toContain('>>>');
      expect(record.tests.length).toBeGreaterThan(0);
      const onDisk = readFileSync(join(dir, record.source.path));
      expect(record.source.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
      const lines = onDisk.toString('utf8').split('\n');
      expect(lines[record.source.start_line - 1]).toMatch(/^\s*(def|async def|@|class)|^\s*def /);
      expect(record.source.end_line).toBeGreaterThanOrEqual(record.source.start_line);
    }
    const rerun = nativeRun(records.map((r) => `${r.response}\n${r.tests.join('\n')}\n`));
    expect(rerun.filter((r) => !r.ok)).toEqual([]);
  });

  it('shows a function with its outcome, doctests and code', async () => {
    const { page } = session;
    await page.fill('input[type=search]', 'wrong');
    await page.click('[data-testid=function-row]');
    // The code arrives after the row (it is read from the stored file): wait for it, then read it all.
    await page.locator('[data-testid=function-detail]', { hasText: 'return x + 1' }).waitFor();
    const detail = (await page.textContent('[data-testid=function-detail]')) ?? '';
    expect(detail).toContain('This example gave a different result');
    expect(detail).toMatch(/Expected\s*3/);
    expect(detail).toMatch(/Got\s*2/);
    expect(detail).toContain('return x + 1');
    await page.fill('input[type=search]', '');
  });

  it('shows the same project and results after a reload', async () => {
    const { page } = session;
    const before = await readStats(page);
    await page.reload();
    await waitForStatus(page, 'done');
    expect(await readStats(page)).toEqual(before);
    expect(await page.textContent('h2')).toBe('demo');
  });

  it('makes another project from a .zip, and deletes a project', async () => {
    const { page } = session;
    const zipDir = await makeTempDir('semiverse-zip-');
    await writeFiles(zipDir, {
      'tiny/calc.py': 'def double(x):\n    """Double it.\n\n    >>> double(4)\n    8\n    """\n    return 2 * x\n',
    });
    const zip = join(zipDir, 'tiny.zip');
    execFileSync('python3', [
      '-c',
      `import shutil; shutil.make_archive(${JSON.stringify(zip.slice(0, -4))}, 'zip', ${JSON.stringify(zipDir)}, 'tiny')`,
    ]);
    await page.setInputFiles('[data-testid=zip-input]', zip);
    await page.waitForFunction(() => document.querySelector('h2')?.textContent === 'tiny');
    await waitForStatus(page, 'done');
    expect((await readStats(page)).passed).toBe(1);
    expect(await page.$$eval('[data-testid=project-select] option', (o) => o.length)).toBe(3); // new + 2 projects

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('[data-testid=delete-project]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=project-select] option').length === 2);
    await rm(zipDir, { recursive: true, force: true });
  });
});
