/**
 * The built app in headless Chromium, driven the way a person uses it: choose a folder, wait for "done",
 * read the counts off the page. A fresh browser (so a fresh profile: empty IndexedDB) per run.
 *
 * Timing is taken in the page's own clock, so CDP round trips do not count:
 * - start: just before Playwright is asked to hand the folder over (setInputFiles);
 * - handedOver: the input's `change` event, i.e. the moment the app has the files (Chromium lists the
 *   folder and makes one File per entry before that: seconds for tens of thousands of files);
 * - ended: the first 100 ms poll that sees run-status read "done" (or "failed").
 * Python workers start on first use, so Pyodide's start-up is inside drop-to-done, as a person waits for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { serveStatic } from '../test/e2e/support/staticServer.ts';

const RUN_TIMEOUT_MS = 20 * 60_000;

export type AppStats = Record<
  'read' | 'notParsed' | 'functions' | 'withDoctests' | 'run' | 'passed' | 'timedOut',
  number
>;

export type AppResult = {
  stats: AppStats;
  /** Paths the app read but could not parse, from its skipped list; `complete` false when it showed fewer. */
  notParsed: { paths: string[]; complete: boolean };
  dropToDoneS: number;
  totalS: number;
  hardwareConcurrency: number;
  poolSize: number;
  python: string;
};

type Marks = { start: number | null; handedOver: number | null; ended: number | null; status: string | null };
type BenchWindow = Window & { __bench?: Marks };

/**
 * Installed before the app's own scripts; see the header for what each mark means. No named functions
 * inside: tsx compiles them to calls of a helper (`__name`) that does not exist in the page.
 */
function watchRun(): void {
  const marks: Marks = { start: null, handedOver: null, ended: null, status: null };
  (window as BenchWindow).__bench = marks;
  document.addEventListener(
    'change',
    (event) => {
      const input = event.target instanceof Element && event.target.matches('[data-testid=folder-input]');
      if (input && marks.handedOver === null) marks.handedOver = performance.now();
    },
    true,
  );
  setInterval(() => {
    const status = document.querySelector('[data-testid=run-status]')?.textContent ?? null;
    if (marks.ended === null && (status === 'done' || status === 'failed')) {
      marks.ended = performance.now();
      marks.status = status;
    }
  }, 100);
}

export async function runInChromium(distDir: string, folder: string, opts: { isolate: boolean }): Promise<AppResult> {
  const server = await serveStatic(distDir, { isolate: opts.isolate });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.addInitScript(watchRun);
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=folder-input]', { state: 'attached' });
    await page.evaluate(() => void ((window as BenchWindow).__bench!.start = performance.now()));
    await page.setInputFiles('[data-testid=folder-input]', folder);
    await page.waitForFunction(() => (window as BenchWindow).__bench?.ended != null, undefined, {
      timeout: RUN_TIMEOUT_MS,
      polling: 500,
    });
    const marks = await page.evaluate(() => (window as BenchWindow).__bench!);
    const panel = page.getByRole('region', { name: 'Run status' });
    if (marks.status !== 'done') throw new Error(`the run ended "${marks.status}": ${await panel.textContent()}`);
    const stats = parseStats((await page.textContent('[data-testid=stats]')) ?? '');
    const hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
    return {
      stats,
      notParsed: await notParsedPaths(page, stats.notParsed),
      dropToDoneS: seconds(marks.ended, marks.handedOver),
      totalS: seconds(marks.ended, marks.start),
      hardwareConcurrency,
      // poolSize() in src/adapters/python/moduleWorker.ts.
      poolSize: Math.max(1, Math.min(hardwareConcurrency || 2, 6)),
      python: pyodidePython(distDir),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

function seconds(end: number | null, start: number | null): number {
  if (end === null || start === null) throw new Error('a timing mark is missing');
  return (end - start) / 1000;
}

const STAT_LABELS: [keyof AppStats, string][] = [
  ['read', 'files read'],
  ['notParsed', 'not parsed'],
  ['functions', 'functions found'],
  ['withDoctests', 'with doctests'],
  ['run', 'doctests run'],
  ['passed', 'passed'],
  ['timedOut', 'timed out'],
];

export function parseStats(text: string): AppStats {
  const entries = STAT_LABELS.map(([key, label]) => {
    const match = new RegExp(`(\\d+) ${label}`).exec(text);
    if (!match) throw new Error(`the stats have no "${label}": ${text}`);
    return [key, Number(match[1])] as const;
  });
  return Object.fromEntries(entries) as AppStats;
}

/** The "read but not parsed" group of the skipped list; it is virtualised, so a long one shows only its head. */
async function notParsedPaths(page: Page, expected: number): Promise<AppResult['notParsed']> {
  if (expected === 0) return { paths: [], complete: true };
  await page.click('[data-testid=skipped-tab]');
  const group = page.locator('[data-testid=skipped-list] details', { hasText: 'read but not parsed' });
  const paths = await group.locator('.path').allTextContents();
  return { paths, complete: paths.length === expected };
}

/** The CPython version inside the Pyodide the build ships (its lock file says). */
function pyodidePython(distDir: string): string {
  const lock = JSON.parse(readFileSync(join(distDir, 'pyodide', 'pyodide-lock.json'), 'utf8')) as {
    info?: { python?: unknown };
  };
  return typeof lock.info?.python === 'string' ? lock.info.python : 'unknown';
}
