/**
 * The app as a user meets it, for browser tests: open it, hand it a folder through the same controls a
 * person uses, wait for the run, read the counts off the page, download the JSONL.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import type { JsonlRecord } from '../../../src/core/export/jsonlRecord.ts';
import { launchChromium } from './browser.ts';
import { watchPageErrors, type PageErrors } from './pageErrors.ts';
import { installStorageFaults } from './storageFaults.ts';
import { serveStatic, type ServeOptions, type StaticServer } from './staticServer.ts';

export type Session = {
  browser: Browser;
  server: StaticServer;
  page: Page;
  /** Errors the page did not handle; `close()` fails the test on any it was not told to expect. */
  errors: PageErrors;
  close(): Promise<void>;
};

/**
 * A fresh browser (fresh storage) on the built app, served without COOP/COEP unless `isolate`. With
 * `storageFaults`, IndexedDB can be made to fail on demand (support/storageFaults.ts).
 */
export async function openApp(opts: ServeOptions & { storageFaults?: boolean } = {}): Promise<Session> {
  const server = await serveStatic(inject('distDir'), opts);
  const browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true });
  if (opts.storageFaults) await installStorageFaults(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(server.url);
  return {
    browser,
    server,
    page,
    errors,
    close: async () => {
      await browser.close();
      await server.close();
      errors.check();
    },
  };
}

export async function chooseFolder(page: Page, dir: string): Promise<void> {
  await page.setInputFiles('[data-testid=folder-input]', dir);
}

export async function waitForStatus(page: Page, status: string, timeout = 300_000): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=run-status]')?.textContent === want,
    status,
    { timeout, polling: 200 },
  );
}

export type Stats = Record<
  | 'read'
  | 'skipped'
  | 'notParsed'
  | 'functions'
  | 'withDoctests'
  | 'run'
  | 'passed'
  | 'failed'
  | 'errors'
  | 'timedOut'
  | 'notRunnable',
  number
>;

const STAT_LABELS: [keyof Stats, string][] = [
  ['read', 'files read'],
  ['skipped', 'skipped'],
  ['notParsed', 'not parsed'],
  ['functions', 'functions found'],
  ['withDoctests', 'with doctests'],
  ['run', 'doctests run'],
  ['passed', 'passed'],
  ['failed', 'failed'],
  ['errors', 'errors'],
  ['timedOut', 'timed out'],
  ['notRunnable', 'not runnable'],
];

export async function readStats(page: Page): Promise<Stats> {
  const text = (await page.textContent('[data-testid=stats]')) ?? '';
  const stats = {} as Stats;
  for (const [key, label] of STAT_LABELS) {
    const match = new RegExp(`(\\d+) ${label}`).exec(text);
    if (!match) throw new Error(`stats has no "${label}": ${text}`);
    stats[key] = Number(match[1]);
  }
  return stats;
}

export async function downloadJsonl(page: Page): Promise<{ fileName: string; records: JsonlRecord[]; raw: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-jsonl]')]);
  const path = await download.path();
  const raw = await readFile(path, 'utf8');
  const records = raw
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonlRecord);
  return { fileName: download.suggestedFilename(), records, raw };
}

/**
 * Show only functions with this outcome and return every name listed. The table is virtualised (only rows
 * in view exist), so this scrolls through it the way a person would.
 */
export async function functionsWithStatus(page: Page, status: string): Promise<string[]> {
  await page.click('[role=tab]:first-child');
  await page.click(`.filters button[data-status="${status}"]`);
  const names = new Set<string>();
  for (let previous = -1; ;) {
    for (const name of await page.$$eval('[data-testid=function-row] .name', (els) =>
      els.map((e) => e.textContent ?? ''),
    ))
      names.add(name);
    const top = await page.$eval('[aria-label=Functions]', (el) => {
      el.scrollTop += el.clientHeight;
      return el.scrollTop;
    });
    if (top === previous) break;
    previous = top;
    await page.waitForTimeout(30);
  }
  await page.click('.filters button:first-child');
  return [...names];
}

/** The text of the skipped-and-not-parsed tab. */
export async function skippedText(page: Page): Promise<string> {
  await page.click('[data-testid=skipped-tab]');
  await page.$$eval('[data-testid=skipped-list] details', (els) =>
    els.forEach((d) => ((d as HTMLDetailsElement).open = true)),
  );
  return (await page.textContent('[data-testid=skipped-list]')) ?? '';
}
