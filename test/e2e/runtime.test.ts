/**
 * The Python runtime under the two hosting modes and when it cannot load at all.
 * - Cross-origin isolated (COOP/COEP headers): time limits interrupt Python through a shared buffer; a
 *   long C call ignores interrupts, so its worker is terminated. Both end as "timed out".
 * - Runtime files missing: the run stops with a message that says what happened, nothing is recorded as
 *   failed, and Resume finishes the run once Python can load.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, writeFiles } from '../builders/fsFolder.ts';
import { chooseFolder, functionsWithStatus, openApp, readStats, waitForStatus, type Session } from './support/app.ts';

const FOLDER = {
  'spin.py': 'def spin():\n    """Loops.\n\n    >>> spin()\n    """\n    while True:\n        pass\n',
  'c_call.py': 'def big_sum():\n    """Sums.\n\n    >>> big_sum()\n    0\n    """\n    return sum(range(10**12))\n',
  'ok.py': 'def one():\n    """One.\n\n    >>> one()\n    1\n    """\n    return 1\n',
};

const sessions: Session[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const root = await makeTempDir('semiverse-runtime-');
  dirs.push(root);
  await writeFiles(join(root, 'limits'), FOLDER);
  return join(root, 'limits');
}

describe('the Python runtime', () => {
  it('stops a loop and a long C call at the limit on a cross-origin isolated page', async () => {
    const session = await openApp({ isolate: true });
    sessions.push(session);
    const { page } = session;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await chooseFolder(page, await folder());
    await waitForStatus(page, 'done', 120_000);
    expect(await readStats(page)).toMatchObject({ functions: 3, passed: 1, timedOut: 2 });
    expect((await functionsWithStatus(page, 'timeout')).sort()).toEqual(['big_sum', 'spin']);
  });

  it('says so when Python cannot load, keeps the work, and resumes once it can', async () => {
    let broken = true;
    const session = await openApp({ missing: (path) => broken && path.includes('/pyodide/') });
    sessions.push(session);
    const { page } = session;
    await chooseFolder(page, await folder());
    await waitForStatus(page, 'failed', 120_000);
    expect(await page.textContent('[role=status]')).toMatch(
      /Python could not run in this browser: .*Reload the page and press Resume/,
    );
    const stopped = await readStats(page);
    expect(stopped).toMatchObject({ read: 3, functions: 0, failed: 0, errors: 0 });

    broken = false;
    await page.click('button:text("Resume")');
    await waitForStatus(page, 'done', 120_000);
    expect(await readStats(page)).toMatchObject({ read: 3, functions: 3, passed: 1, timedOut: 2 });
  });
});
