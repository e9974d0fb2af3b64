/**
 * `npm run bench:runner [-- --no-build] [--reps N] [--calls N] [--pool N] [--no-isolate]`: the Python
 * runner's throughput through the app's whole sandboxed pool in headless Chromium, printed next to native
 * CPython doing the same work on the same machine in the same run (bench/runner_native.py), as ratios:
 * (a) calls of a small pure-Python function, (b) HumanEval + MBPP reference solutions with their tests,
 * (c) the same samples run one process per sample, the way peer evaluation harnesses run them.
 * To show where a call's time goes it also times the same runner called directly in Node (Pyodide, no
 * worker, no pool), an empty job through the pool, and round trips that run no Python. See bench/README.md.
 *
 * The page (bench/runnerPage.ts) is built with the app's Vite config into a folder of its own under the OS
 * temp dir and served statically with COOP/COEP (as the dev and preview servers do): the production worker
 * bundle in the production sandbox. Timing starts once every worker of the pool has started.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, runnerImport } from 'vite';
import type { TestsJob } from '../src/domain/verify.ts';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { humanEvalRows, mbppRows } from '../test/e2e/support/conformanceRows.ts';
import { serveStatic } from '../test/e2e/support/staticServer.ts';
import type { Timed } from './runnerPage.ts';
import { python3 } from './python3.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(tmpdir(), 'semiverse-bench-runner');
const PAGE = 'bench/runnerPage.html';
const ADD: TestsJob = { program: 'def add(a, b):\n    return a + b', tests: ['assert add(1, 2) == 3'] };
const EMPTY: TestsJob = { program: '', tests: [] };
/**
 * MBPP 123 (sum of amicable numbers below 9999) takes 2.75 s in native CPython 3.11 here, 91 % of the whole
 * 591 (3.0 s): the suite's figure is mostly the speed of that one sample, which a pool cannot spread over
 * workers. So (b) is also given without it, where per-sample costs show.
 */
const HEAVY = 'MBPP 123';

type Options = { build: boolean; isolate: boolean; reps: number; calls: number; pool: number | null };

function parseArgs(argv: string[]): Options {
  const options: Options = { build: true, isolate: true, reps: 3, calls: 2000, pool: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} wants a positive whole number`);
      return n;
    };
    if (arg === '--no-build') options.build = false;
    else if (arg === '--no-isolate') options.isolate = false;
    else if (arg === '--reps') options.reps = value();
    else if (arg === '--calls') options.calls = value();
    else if (arg === '--pool') options.pool = value();
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median seconds over `reps` timed runs after one untimed run, how many jobs passed, of how many. */
type Figure = { seconds: number; passed: number; n: number };

async function figure(n: number, reps: number, run: () => Promise<Timed>): Promise<Figure> {
  await run();
  const runs: Timed[] = [];
  for (let i = 0; i < reps; i++) runs.push(await run());
  const passed = new Set(runs.map((r) => r.statuses.passed ?? 0));
  if (passed.size !== 1) throw new Error(`repetitions disagree: ${JSON.stringify(runs.map((r) => r.statuses))}`);
  return { seconds: median(runs.map((r) => r.seconds)), passed: [...passed][0]!, n };
}

type Samples = { all: TestsJob[]; light: TestsJob[]; lightIndices: number[] };

function samples(): Samples {
  const rows = [
    ...humanEvalRows().map((row) => ({ ...row, id: row.id.replace('/', ' ') })),
    ...mbppRows().map((row) => ({ ...row, id: `MBPP ${row.id}` })),
  ];
  const lightIndices = rows.flatMap((row, i) => (row.id === HEAVY ? [] : [i]));
  if (lightIndices.length !== rows.length - 1) throw new Error(`${HEAVY} is not in the data`);
  const all = rows.map(({ program, tests }) => ({ program, tests }));
  return { all, light: lightIndices.map((i) => all[i]!), lightIndices };
}

// ---- the three hosts ------------------------------------------------------------------------------

type BrowserFigures = {
  chromium: string;
  size: number;
  isolated: boolean;
  warm: { rounds: number; seconds: number };
  calls: Record<'oneAtATime' | 'allAtOnce' | 'emptyOneAtATime', Figure>;
  floor: Record<'echoInSandbox' | 'echoInPage' | 'comlinkSameThread' | 'echoSameThread', Figure>;
  samples: Record<'allAtOnce' | 'lightAllAtOnce' | 'lightOneAtATime', Figure>;
};

async function inChromium(jobs: Samples, options: Options): Promise<BrowserFigures> {
  const server = await serveStatic(DIST, { isolate: options.isolate });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(`${server.url}${PAGE}${options.pool ? `?size=${options.pool}` : ''}`);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
    const about = await page.evaluate(() => ({ size: window.bench.size, isolated: window.bench.isolated }));
    // Inline arrows only: tsx wraps named functions in a helper (`__name`) that the page does not have.
    console.log(`chromium: starting ${about.size} Python workers ...`);
    const warm = await page.evaluate(() => window.bench.warm());
    const { reps, calls: n } = options;
    const adds = Array.from({ length: n }, () => ADD);
    const empties = Array.from({ length: n }, () => EMPTY);
    const oneAtATime = (list: TestsJob[]) =>
      figure(list.length, reps, () => page.evaluate((j) => window.bench.sequential(j), list));
    const allAtOnce = (list: TestsJob[]) =>
      figure(list.length, reps, () => page.evaluate((j) => window.bench.concurrent(j), list));
    console.log('chromium: timing ...');
    const calls = {
      oneAtATime: await oneAtATime(adds),
      allAtOnce: await allAtOnce(adds),
      emptyOneAtATime: await oneAtATime(empties),
    };
    const samples = {
      allAtOnce: await allAtOnce(jobs.all),
      lightAllAtOnce: await allAtOnce(jobs.light),
      lightOneAtATime: await oneAtATime(jobs.light),
    };
    // Last: the pool's workers sit idle meanwhile (they stop after a minute idle; these take seconds).
    const floor = {
      echoInSandbox: await figure(n, reps, () => page.evaluate((k) => window.bench.echoInSandbox(k), n)),
      echoInPage: await figure(n, reps, () => page.evaluate((k) => window.bench.echoInPage(k), n)),
      comlinkSameThread: await figure(n, reps, () => page.evaluate((k) => window.bench.comlinkSameThread(k), n)),
      echoSameThread: await figure(n, reps, () => page.evaluate((k) => window.bench.echoSameThread(k), n)),
    };
    return { chromium: browser.version(), ...about, warm, calls, floor, samples };
  } finally {
    await browser.close();
    await server.close();
  }
}

type NodeFigures = Record<'calls' | 'empty' | 'samples' | 'light', Figure>;

/** The same runner, called directly in Node through the pyodide package: Python's time, no transport. */
async function inNode(jobs: Samples, options: Options): Promise<NodeFigures> {
  // Through Vite's module runner, which resolves the harness's `?raw` imports as the app's build does.
  const { module } = await runnerImport<typeof import('../test/builders/pyodideRunner.ts')>(
    join(ROOT, 'test/builders/pyodideRunner.ts'),
    { configFile: false, logLevel: 'error', root: ROOT },
  );
  const runner = await module.nodeRunner();
  const loop = (list: TestsJob[]) =>
    figure(list.length, options.reps, async () => {
      const start = performance.now();
      let passed = 0;
      for (const job of list) {
        const settled = runner.runTests(job);
        if (settled.kind === 'reply' && (settled.value as { status?: unknown }).status === 'passed') passed++;
      }
      return { seconds: (performance.now() - start) / 1000, statuses: { passed } };
    });
  return {
    calls: await loop(Array.from({ length: options.calls }, () => ADD)),
    empty: await loop(Array.from({ length: options.calls }, () => EMPTY)),
    samples: await loop(jobs.all),
    light: await loop(jobs.light),
  };
}

type NativeFigure = { seconds: number; passed: number };
type NativeFigures = {
  python: string;
  calls: Record<'harness' | 'bare', NativeFigure>;
  samples: Record<
    | 'harness'
    | 'bare'
    | 'lightHarness'
    | 'lightBare'
    | 'subprocess'
    | 'subprocessParallel'
    | 'fork'
    | 'forkParallel'
    | 'managedForkParallel'
    | 'lightSubprocessParallel'
    | 'lightForkParallel'
    | 'lightManagedForkParallel',
    NativeFigure
  >;
};

async function inNative(jobs: Samples, options: Options, processes: number): Promise<NativeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'semiverse-bench-native-'));
  try {
    const spec = join(dir, 'jobs.json');
    const { calls, reps } = options;
    writeFileSync(
      spec,
      JSON.stringify({ call: ADD, calls, samples: jobs.all, light: jobs.lightIndices, reps, processes }),
    );
    return JSON.parse(await python3(join(ROOT, 'bench/runner_native.py'), [spec])) as NativeFigures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the report -------------------------------------------------------------------------------------

type Row = { label: string; seconds: number; n: number; passed?: number; ratios?: string[] };

const perItem = (f: { seconds: number; n: number }): number => f.seconds / f.n;
const ratio = (x: number): string => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}x`;
/** How many times longer `ours` takes per item than `base`. */
const times = (ours: { seconds: number; n: number }, base: { seconds: number; n: number }): string =>
  ratio(perItem(ours) / perItem(base));

function each(f: { seconds: number; n: number }): string {
  const us = perItem(f) * 1e6;
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(0)} µs`;
}

const noPassed = (label: string, { seconds, n }: Figure): Row => ({ label, seconds, n });

function table(title: string, unit: string, ratioHeads: string[], rows: Row[]): string {
  const head = ['', `${unit}/s`, 'each', 'passed', ...ratioHeads];
  const body = rows.map((r) => [
    r.label,
    Math.round(r.n / r.seconds).toLocaleString('en-US'),
    each(r),
    r.passed === undefined ? '' : `${r.passed}/${r.n}`,
    ...(r.ratios ?? []),
  ]);
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((line) => (line[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [title, line(head), ...body.map(line)].join('\n');
}

function report(b: BrowserFigures, node: NodeFigures, native: NativeFigures, options: Options, load: string): string {
  const cores = availableParallelism();
  const lock = JSON.parse(readFileSync(join(ROOT, 'node_modules/pyodide/pyodide-lock.json'), 'utf8')) as {
    info: { python: string };
  };
  const pool = `pool of ${b.size}`;
  const n = (f: NativeFigure, count: number): Figure => ({ ...f, n: count });
  const nCalls = { harness: n(native.calls.harness, options.calls), bare: n(native.calls.bare, options.calls) };
  const all = b.samples.allAtOnce.n;
  const light = b.samples.lightAllAtOnce.n;
  const s = native.samples;
  const nAll = { harness: n(s.harness, all), bare: n(s.bare, all) };
  const nLight = { harness: n(s.lightHarness, light), bare: n(s.lightBare, light) };
  const vs = (base: { harness: Figure; bare: Figure }) => (label: string, f: Figure | Row) => ({
    label,
    ...f,
    ratios: [times(f, base.harness), times(f, base.bare)],
  });
  const callRow = vs(nCalls);
  const heads = ['x native harness', 'x native bare'];
  const a = table(`(a) add(1, 2) and its assert, ${options.calls} calls`, 'calls', heads, [
    callRow(`${pool}, one call at a time`, b.calls.oneAtATime),
    callRow(`${pool}, all calls at once`, b.calls.allAtOnce),
    callRow('Pyodide in Node, the runner called directly', node.calls),
    callRow('native CPython, harness in-process', nCalls.harness),
    callRow('native CPython, bare exec in a fresh dict', nCalls.bare),
  ]);
  const floor = table(
    `    where a call's time goes (one at a time, ${options.calls} calls)`,
    'calls',
    [],
    [
      { label: `empty job (no program, no tests) through the ${pool}`, ...b.calls.emptyOneAtATime },
      { label: 'empty job, Pyodide in Node, the runner called directly', ...node.empty },
      noPassed('port echo, worker in an iframe built like the sandbox', b.floor.echoInSandbox),
      noPassed('port echo, worker of the page', b.floor.echoInPage),
      noPassed('Comlink call to a no-op, both ends in the page', b.floor.comlinkSameThread),
      noPassed('port echo, both ends in the page', b.floor.echoSameThread),
    ],
  );
  const allRow = vs(nAll);
  const bAll = table(
    `(b) HumanEval (164) + MBPP (427) reference solutions with their tests, ${all} samples`,
    'samples',
    heads,
    [
      allRow(`${pool}, all samples at once`, b.samples.allAtOnce),
      allRow('Pyodide in Node, the runner called directly', node.samples),
      allRow('native CPython, harness in-process', nAll.harness),
      allRow('native CPython, bare exec in a fresh dict', nAll.bare),
    ],
  );
  const lightRow = vs(nLight);
  const bLight = table(`    the same without ${HEAVY} (${light} samples)`, 'samples', heads, [
    lightRow(`${pool}, all samples at once`, b.samples.lightAllAtOnce),
    lightRow(`${pool}, one sample at a time`, b.samples.lightOneAtATime),
    lightRow('Pyodide in Node, the runner called directly', node.light),
    lightRow('native CPython, harness in-process', nLight.harness),
    lightRow('native CPython, bare exec in a fresh dict', nLight.bare),
  ]);
  const per = (label: string, f: NativeFigure): Row => {
    const figure = n(f, all);
    return { label, ...figure, ratios: [times(figure, b.samples.allAtOnce)] };
  };
  const c = table(
    `(c) the same ${all} samples, one native CPython process per sample`,
    'samples',
    [`${pool} faster`],
    [
      per('python3 process per sample, one at a time', s.subprocess),
      per(`python3 process per sample, ${cores} at a time`, s.subprocessParallel),
      per('forked process per sample, one at a time', s.fork),
      per(`forked process per sample, ${cores} at a time`, s.forkParallel),
      per(`fork + Manager per sample (human-eval), ${cores} at a time`, s.managedForkParallel),
    ],
  );
  const perLight = (label: string, f: NativeFigure): Row => {
    const figure = n(f, light);
    return { label, ...figure, ratios: [times(figure, b.samples.lightAllAtOnce)] };
  };
  const cLight = table(
    `    the same without ${HEAVY} (${light} samples)`,
    'samples',
    [`${pool} faster`],
    [
      perLight(`python3 process per sample, ${cores} at a time`, s.lightSubprocessParallel),
      perLight(`forked process per sample, ${cores} at a time`, s.lightForkParallel),
      perLight(`fork + Manager per sample (human-eval), ${cores} at a time`, s.lightManagedForkParallel),
    ],
  );
  const faster = (f: NativeFigure, count: number, ours: Figure) => times(n(f, count), ours);
  const aims = [
    `aims (${pool}, all at once; in brackets: without ${HEAVY}):`,
    `  at most 3x slower than in-process native CPython (its harness): calls ${times(b.calls.allAtOnce, nCalls.harness)}, ` +
      `samples ${times(b.samples.allAtOnce, nAll.harness)} (${times(b.samples.lightAllAtOnce, nLight.harness)})`,
    `  at least 5x faster than a process per sample, ${cores} at a time: ` +
      `python3 per sample ${faster(s.subprocessParallel, all, b.samples.allAtOnce)} ` +
      `(${faster(s.lightSubprocessParallel, light, b.samples.lightAllAtOnce)}), ` +
      `fork per sample ${faster(s.forkParallel, all, b.samples.allAtOnce)} ` +
      `(${faster(s.lightForkParallel, light, b.samples.lightAllAtOnce)}), ` +
      `human-eval's fork + Manager ${faster(s.managedForkParallel, all, b.samples.allAtOnce)} ` +
      `(${faster(s.lightManagedForkParallel, light, b.samples.lightAllAtOnce)})`,
  ];
  const header = [
    `machine: ${cores} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `load average ${load}; Chromium ${b.chromium}; native Python ${native.python}; Pyodide's Python ${lock.info.python}`,
    `pool: the app's sandboxed pool, ${b.size} workers, the page built and served statically ` +
      `${b.isolated ? 'with COOP/COEP (cross-origin isolated)' : 'without COOP/COEP'}; timed after all ${b.size} ` +
      `workers had started (${b.warm.rounds} warm-up rounds, ${b.warm.seconds.toFixed(1)} s)`,
    `each figure: median of ${options.reps} timed runs after one untimed run (a process per sample: one timed run); ` +
      `"x": how many times longer per item`,
  ];
  return [...header, '', a, '', floor, '', bAll, '', bLight, '', c, '', cLight, '', ...aims].join('\n');
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
  } else if (!existsSync(join(DIST, PAGE))) {
    throw new Error(`no build at ${DIST}: run without --no-build once`);
  }
  const jobs = samples();
  const loadBefore = loadavg()[0]!.toFixed(2);
  const browser = await inChromium(jobs, options);
  console.log('node: the runner through the pyodide package ...');
  const node = await inNode(jobs, options);
  console.log('native: python3 bench/runner_native.py ...');
  const native = await inNative(jobs, options, availableParallelism());
  const load = `${loadBefore} at start, ${loadavg()[0]!.toFixed(2)} at end`;
  console.log(`\n${report(browser, node, native, options, load)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
