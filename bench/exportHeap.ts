/**
 * `npm run bench:export-heap [-- --no-build] [-- --samples N]`: does an export
 * of N samples (100,000 by default) stream in bounded memory? In headless Chromium, a page built from the
 * app's modules (bench/exportHeapPage.ts) seeds a project of N verified samples into IndexedDB through the
 * app's storage adapter, then, each time in a freshly loaded page (a clean heap, the project in storage):
 *
 * - idle: the heap with the project loaded and nothing running (the baseline);
 * - the raw JSONL download and the zip download (4 formats, a 10 % split, card, dataset_info.json), as the
 *   app builds them (core/dataset/downloads.ts): the highest heap seen while exporting;
 * - the exporter before this one (every chunk kept as a string until the Blob is made): its peak;
 * - the whole JSONL as one string, held: the heap it takes.
 *
 * The heap is the page's JS heap (performance.memory with --enable-precise-memory-info), sampled every
 * 5 ms in the page and after every storage read of the export, and polled from here over CDP
 * (Runtime.getHeapUsage); the figure is the highest of all. Garbage is collected (CDP
 * HeapProfiler.collectGarbage) before each baseline. Printed next to the baseline and the one-string
 * figure, as ratios. See bench/README.md.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { serveStatic } from '../test/e2e/support/staticServer.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(tmpdir(), 'semiverse-bench-export-heap');
const PAGE = 'bench/exportHeapPage.html';
/** Functions per file: a page of the export reads 50 files (PAGE_FILES in core/dataset/samples.ts), so 1,000 samples. */
const PER_FILE = 20;

type Options = { build: boolean; samples: number };

function parseArgs(argv: string[]): Options {
  const options: Options = { build: true, samples: 100_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-build') options.build = false;
    else if (arg === '--samples') options.samples = Number(argv[++i]);
    else throw new Error(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.samples) || options.samples < PER_FILE)
    throw new Error('--samples wants a number ≥ 20');
  return options;
}

const MB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function usedOverCdp(cdp: CDPSession): Promise<number> {
  return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
}

/** A fresh page on the built bench, its CDP session, and its heap after a collection with the project loaded. */
async function freshPage(page: Page, url: string): Promise<{ cdp: CDPSession; idle: number }> {
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => window.exportHeap.idle());
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const idle = await page.evaluate(() => window.exportHeap.used());
  return { cdp, idle };
}

/** Heap before (idle), the highest seen while exporting, and after (garbage collected, the download held). */
type Figure = { idle: number; peak: number; after: number; ms: number; bytes: number; lines: number };

async function measure(page: Page, url: string, kind: 'jsonl' | 'zip' | 'legacy'): Promise<Figure> {
  const { cdp, idle } = await freshPage(page, url);
  let polled = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      polled = Math.max(polled, await usedOverCdp(cdp).catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const result = await page.evaluate((k) => window.exportHeap[k](), kind);
  polling = false;
  await poll;
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const after = await page.evaluate(() => window.exportHeap.used());
  const peak = Math.max(result.peak, polled);
  return { idle, peak, after, ms: result.ms, bytes: result.bytes, lines: result.lines };
}

async function oneString(page: Page, url: string): Promise<{ idle: number; held: number; length: number }> {
  const { cdp, idle } = await freshPage(page, url);
  const { length } = await page.evaluate(() => window.exportHeap.oneString());
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  return { idle, held: await page.evaluate(() => window.exportHeap.used()), length };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.build) {
    console.log(`building ${PAGE} with the app's Vite config into ${DIST} ...`);
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      root: ROOT,
      logLevel: 'warn',
      build: { outDir: DIST, emptyOutDir: true, rollupOptions: { input: join(ROOT, PAGE) } },
    });
  } else if (!existsSync(join(DIST, PAGE))) throw new Error(`no build at ${DIST}: run without --no-build once`);
  const server = await serveStatic(DIST);
  const browser = await launchChromium(['--enable-precise-memory-info']);
  const load = loadavg()[0]!.toFixed(2);
  try {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    const url = `${server.url}${PAGE}`;
    await page.goto(url);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
    const files = Math.round(options.samples / PER_FILE);
    console.log(`seeding ${files * PER_FILE} samples (${files} files) through the storage adapter ...`);
    const seeded = await page.evaluate(([f, p]) => window.exportHeap.seed(f, p), [files, PER_FILE] as const);
    console.log(`seeded in ${seeded.seconds.toFixed(1)} s; measuring ...`);
    const jsonl = await measure(page, url, 'jsonl');
    const zip = await measure(page, url, 'zip');
    const legacy = await measure(page, url, 'legacy');
    const whole = await oneString(page, url);
    const version = browser.version();
    const stringCost = whole.held - whole.idle;
    const row = (name: string, f: Figure) =>
      [
        name.padEnd(40),
        MB(f.peak).padStart(10),
        MB(f.peak - f.idle).padStart(14),
        `${(f.peak / f.idle).toFixed(2)}x`.padStart(11),
        `${((f.peak - f.idle) / stringCost).toFixed(2)}x`.padStart(14),
        MB(f.after).padStart(10),
        `${(f.ms / 1000).toFixed(1)} s`.padStart(8),
        f.lines.toLocaleString('en-US').padStart(9),
        MB(f.bytes).padStart(10),
      ].join('');
    console.log(
      [
        '',
        `machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, load ${load} at start; Chromium ${version}`,
        `project: ${seeded.samples.toLocaleString('en-US')} natural samples in ${files.toLocaleString('en-US')} files, screened; the JSONL is ${MB(whole.length)} (${whole.length.toLocaleString('en-US')} characters)`,
        `each export in a freshly loaded page; "over idle": peak minus the idle heap of that page; "x one string": that, over what holding the whole JSONL as one string adds; "after": the heap once the export is done and garbage collected, its download (a Blob) still held`,
        '',
        `${''.padEnd(40)}${'peak heap'.padStart(10)}${'over idle'.padStart(14)}${'x idle'.padStart(11)}${'x one string'.padStart(14)}${'after'.padStart(10)}${'time'.padStart(8)}${'lines'.padStart(9)}${'output'.padStart(10)}`,
        `${'idle, project loaded (baseline)'.padEnd(40)}${MB(jsonl.idle).padStart(10)}`,
        row('Download JSONL (raw, streamed)', jsonl),
        row('Download dataset .zip (4 formats, split)', zip),
        row('the exporter before (chunks as strings)', legacy),
        `${'the whole JSONL held as one string'.padEnd(40)}${MB(whole.held).padStart(10)}${MB(stringCost).padStart(14)}${`${(whole.held / whole.idle).toFixed(2)}x`.padStart(11)}${'1.00x'.padStart(14)}`,
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
