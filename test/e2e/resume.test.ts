/**
 * A reload in the middle of a run: the run resumes by itself, finished work is not redone, nothing is
 * counted or stored twice. A reload while the folder is still being read goes on with what was stored
 * and says so.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { chooseFolder, openApp, readStats, waitForStatus, type Session } from './support/app.ts';

const FILES = 1500;

function manyDoctests(count = FILES): FileMap {
  const files: FileMap = {};
  for (let i = 0; i < count; i++) {
    files[`m/f${String(i).padStart(4, '0')}.py`] =
      `def f${i}(x):\n    """Add ${i}.\n\n    >>> f${i}(1)\n    ${i + 1}\n    """\n    return x + ${i}\n`;
  }
  return files;
}

/** Outcome rows straight from the app's IndexedDB: [id, finishedAt]. */
function storedOutcomes(page: Page): Promise<[string, number][]> {
  return page.evaluate(
    () =>
      new Promise<[string, number][]>((resolve, reject) => {
        const open = indexedDB.open('semiverse');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outcomes').objectStore('outcomes').getAll();
          request.onsuccess = () => {
            resolve((request.result as { id: string; finishedAt: number }[]).map((o) => [o.id, o.finishedAt]));
            open.result.close();
          };
        };
      }),
  );
}

const sessions: Session[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function setup(files: FileMap): Promise<{ session: Session; dir: string }> {
  const root = await makeTempDir('semiverse-resume-');
  dirs.push(root);
  const dir = join(root, 'many');
  await writeFiles(dir, files);
  const session = await openApp();
  sessions.push(session);
  return { session, dir };
}

describe('a reload during a run', () => {
  it('resumes running doctests without redoing or duplicating finished work', async () => {
    const { session, dir } = await setup(manyDoctests());
    const { page } = session;
    await chooseFolder(page, dir);
    await waitForStatus(page, 'verifying');
    await page.waitForFunction(
      () => /(\d+) doctests run/.exec(document.querySelector('[data-testid=stats]')?.textContent ?? '')?.[1] !== '0',
    );
    const readAt = Date.now();
    const before = await storedOutcomes(page);
    await page.reload();
    await waitForStatus(page, 'done');

    const stats = await readStats(page);
    expect(stats.functions).toBe(FILES);
    expect(stats.run).toBe(FILES);
    expect(stats.passed).toBe(FILES);
    const after = await storedOutcomes(page);
    expect(after).toHaveLength(FILES);
    expect(new Set(after.map(([id]) => id)).size).toBe(FILES);
    // What was stored before the reload was not run again: same rows, same finish times.
    const finished = new Map(after);
    for (const [id, at] of before) expect(finished.get(id)).toBe(at);
    // The rest finished around or after the reload: not before the stored ones were read, less the time a
    // computed outcome waits to be written (a batch is written within 250 ms; a second of slack).
    const beforeIds = new Set(before.map(([id]) => id));
    const rest = after.filter(([id]) => !beforeIds.has(id));
    expect(rest).toHaveLength(FILES - before.length);
    expect(rest.filter(([, at]) => at < readAt - 1000)).toEqual([]);
  });

  it('goes on with the files already stored when the folder was still being read, and says so', async () => {
    const { session, dir } = await setup(manyDoctests(4000));
    const { page } = session;
    await chooseFolder(page, dir);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=run-status]')?.textContent === 'ingesting' &&
        /([1-9]\d*) files read/.test(document.querySelector('[data-testid=stats]')?.textContent ?? ''),
      null,
      { polling: 'raf' },
    );
    await page.reload();
    await waitForStatus(page, 'done');
    const stats = await readStats(page);
    expect(stats.read).toBeGreaterThan(0);
    expect(stats.read).toBeLessThan(4000);
    expect(stats.passed).toBe(stats.read);
    expect(await page.textContent('[role=status]')).toMatch(
      /reloaded while "many" was being read: \d+ Python files had been stored.*Drop the folder again/,
    );
  });
});
