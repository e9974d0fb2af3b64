/**
 * Every failure reaches the person: storage that fails (a full disk, a database closed under the page) in
 * each path the UI drives becomes a visible notice that says what failed and what to do, and never an
 * unhandled rejection (the session fails the test on any page error it was not told to expect). Faults are
 * injected into the browser's own IndexedDB (support/storageFaults.ts); the app is the built one.
 */
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeFiles } from '../builders/fsFolder.ts';
import { chooseFolder, openApp, waitForStatus, type Session } from './support/app.ts';
import { setStorageFault, type StorageFault } from './support/storageFaults.ts';

const FOLDER = {
  'calc.py': 'def add(a, b):\n    """Add.\n\n    >>> add(2, 3)\n    5\n    """\n    return a + b\n',
  'notes.txt': 'not python\n',
};
const EVERY_STORE = ['projects', 'files', 'texts', 'sources', 'skipped', 'outcomes', 'settings'];

let session: Session;
let dir: string;

beforeAll(async () => {
  dir = await makeTempDir('semiverse-failures-');
  await writeFiles(dir, FOLDER);
  session = await openApp({ storageFaults: true });
  session.page.on('dialog', (dialog) => void dialog.accept());
  await chooseFolder(session.page, dir);
  await waitForStatus(session.page, 'done', 120_000);
});

afterAll(async () => {
  await session?.close();
  await rm(dir, { recursive: true, force: true });
});

const notices = (page: Page) => page.locator('[data-testid=notices] [role=alert]');

async function expectNotice(page: Page, pattern: RegExp): Promise<void> {
  await expect
    .poll(async () => (await notices(page).allTextContents()).join('\n'), { timeout: 20_000, interval: 100 })
    .toMatch(pattern);
}

async function withFault(fault: StorageFault, reload: boolean, act: (page: Page) => Promise<void>): Promise<void> {
  const { page } = session;
  await setStorageFault(page, fault);
  if (reload) await page.reload();
  try {
    await act(page);
  } finally {
    await setStorageFault(page, null);
    await page.reload();
    await page.waitForSelector('[data-testid=run-status]');
  }
}

const projectOptions = (page: Page) => page.locator('[data-testid=project-select] option[value]:not([value=""])');

describe('storage that fails, in each path the UI drives', () => {
  it('deleting a project on a full disk: says so, and the project stays', async () => {
    await withFault({ stores: EVERY_STORE, ops: 'write', error: 'QuotaExceededError' }, false, async (page) => {
      await page.click('[data-testid=delete-project]');
      await expectNotice(
        page,
        /Deleting the project failed: The browser has no storage space left for this site\. Delete old projects/,
      );
      expect(await projectOptions(page).count()).toBe(1);
    });
  });

  it('starting a project on a full disk: says so', async () => {
    await withFault({ stores: ['projects'], ops: 'write', error: 'QuotaExceededError' }, false, async (page) => {
      await chooseFolder(page, dir);
      await expectNotice(page, /Starting a project failed: The browser has no storage space left/);
      expect(await projectOptions(page).count()).toBe(1);
    });
  });

  it('choosing an engine when the database is closed: says the choice will not be kept, and applies it', async () => {
    await withFault({ stores: ['settings'], ops: 'write', error: 'closed' }, false, async (page) => {
      if (!(await page.locator('[data-testid=engine-panel]').isVisible()))
        await page.click('[data-testid=engine-toggle]');
      await page.check('[data-testid=engine-kind] input[value=webllm]');
      await expectNotice(
        page,
        /Saving your engine choice failed: This browser does not let the page use its database.*Reload the page/,
      );
      await expect.poll(() => page.locator('[data-testid=engine-status]').textContent()).toMatch(/WebGPU|GPU/);
    });
  });

  it('reading the engine chosen last time when the database is closed: says so', async () => {
    await withFault({ stores: ['settings'], ops: 'read', error: 'closed' }, true, async (page) => {
      await expectNotice(
        page,
        /Reading the engine you chose last time failed: This browser does not let the page use its database/,
      );
    });
  });

  it('reading the function list and the skipped list when stored values cannot be read: says so for each', async () => {
    await withFault({ stores: ['files', 'skipped'], ops: 'read', error: 'NotReadableError' }, true, async (page) => {
      await expectNotice(
        page,
        /Reading the list of functions failed: Storage failed: NotReadableError.*Reload the page/,
      );
      await expectNotice(page, /Reading the list of skipped files failed: Storage failed: NotReadableError/);
    });
  });

  it('a database closed under the page: every read says so, and nothing is unhandled', async () => {
    await withFault({ ops: 'all', error: 'closed' }, true, async (page) => {
      await expectNotice(page, /Reading your stored projects failed/);
    });
  });

  it('observing the stored projects: says so', async () => {
    await withFault({ stores: ['projects'], ops: 'read', error: 'closed' }, true, async (page) => {
      await expectNotice(
        page,
        /Reading your stored projects failed: This browser does not let the page use its database/,
      );
    });
  });

  it('after the faults are gone, everything reads again and nothing was lost', async () => {
    const { page } = session;
    expect(await projectOptions(page).count()).toBe(1);
    expect(await page.textContent('[data-testid=stats]')).toMatch(/1 passed/);
    expect(await notices(page).count()).toBe(0);
    expect(session.errors.seen).toEqual([]);
  });
});
