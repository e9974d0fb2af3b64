/**
 * Real IndexedDB failures in Chromium, through the app's own database and settings store (test page:
 * pages/storageErrors.ts), and what toStorageError makes of each: the Node test
 * (src/adapters/storage/storageErrors.test.ts) pins the mapping of every shape; this one shows which shapes
 * the browser and Dexie 4 really produce.
 * - out of space: a tiny quota for the page's origin (CDP Storage.overrideQuotaForOrigin), then a row bigger
 *   than it;
 * - a database newer than the page: created at a high version with raw IndexedDB;
 * - a database closed under the page: db.close(), then a read;
 * - no IndexedDB at all: an init script removes window.indexedDB.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seen } from './pages/storageErrors.ts';
import { launchChromium } from './support/browser.ts';
import { startDevServer } from './support/devServer.ts';

let dev: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  [dev, browser] = await Promise.all([startDevServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

/** The page in a fresh context (its own storage), after `setup` (CDP, init scripts) has run. */
async function open(setup?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await setup?.(page);
  await page.goto(dev.url + 'test/e2e/pages/storageErrors.html');
  await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60_000 });
  return page;
}

const names = (seen: Seen) => seen.raw.map((cause) => cause.name);

describe('real storage failures become StorageError codes', () => {
  it('a row bigger than the quota: Dexie wraps the browser’s QuotaExceededError, and it is quota', async () => {
    const quotaBytes = 2 * 1024 * 1024;
    const page = await open(async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(dev.url).origin, quotaSize: quotaBytes });
    });
    // A row that fits goes in: the quota is what stops the big one, not the test's own mistake.
    expect(await page.evaluate((n) => window.storageErrors.quota(n), 64 * 1024)).toBeNull();
    const seen = await page.evaluate((n) => window.storageErrors.quota(n), 4 * quotaBytes);
    console.log(`quota: ${JSON.stringify(seen?.raw)}`);
    expect(seen).not.toBeNull();
    expect(names(seen!)).toContain('QuotaExceededError');
    expect(seen!.raw.at(-1)).toMatchObject({ name: 'QuotaExceededError', domException: true });
    expect(seen!.mapped).toEqual({
      name: 'StorageError',
      code: 'quota',
      message: expect.stringMatching(/storage space/),
      abort: false,
    });
    await page.context().close();
  });

  it('a database a newer release left: Dexie 4 opens it as it is; raw IndexedDB fails with VersionError → version', async () => {
    const page = await open();
    const outcome = await page.evaluate(() => window.storageErrors.version());
    console.log(`version: ${JSON.stringify(outcome)}`);
    // Dexie 4 retries an open that failed with VersionError without a version, so the app's own open
    // succeeds at the installed version; the rows' schemaVersion (rowChecks.ts) is what tells newer data apart.
    expect(outcome).toMatchObject({ dexieOpened: true, dexieVersion: outcome.installed, dexieError: null });
    expect(outcome.lower.raw).toEqual([expect.objectContaining({ name: 'VersionError', domException: true })]);
    expect(outcome.lower.mapped).toMatchObject({ name: 'StorageError', code: 'version', abort: false });
    await page.context().close();
  });

  it('a read after db.close(): DatabaseClosedError → closed, also through the settings store', async () => {
    const page = await open();
    const { raw, store } = await page.evaluate(() => window.storageErrors.closed());
    // Dexie wraps the DatabaseClosedError that close() recorded in a new one.
    expect(names(raw)).toEqual(['DatabaseClosedError', 'DatabaseClosedError']);
    expect(raw.raw.every((cause) => cause.dexie)).toBe(true);
    expect(raw.mapped).toMatchObject({ name: 'StorageError', code: 'closed', abort: false });
    // The store's own guard already turned it into a StorageError.
    expect(names(store)).toEqual(['StorageError']);
    expect(store.mapped).toMatchObject({ code: 'closed', message: expect.stringMatching(/reload/) });
    await page.context().close();
  });

  it('no IndexedDB: the first read and every later one are unavailable', async () => {
    const page = await open(async (p) => {
      await p.addInitScript(() => {
        delete (window as { indexedDB?: unknown }).indexedDB;
      });
    });
    const outcome = await page.evaluate(() => window.storageErrors.missing());
    console.log(`missing: ${JSON.stringify(outcome)}`);
    expect(outcome.hasIndexedDb).toBe(false);
    expect(names(outcome.raw)).toContain('MissingAPIError');
    expect(names(outcome.again)).toContain('MissingAPIError');
    for (const read of [outcome.raw, outcome.again, outcome.store])
      expect(read.mapped).toMatchObject({ name: 'StorageError', code: 'unavailable', abort: false });
    await page.context().close();
  });
});
