/**
 * The runner benchmark's page. bench/runner.ts builds it with the app's own Vite config and serves the
 * build statically, so the pool here is the product's (sandboxed iframe, classic blob workers, the
 * production worker bundle), not the dev server's. Every figure is taken in the page's own clock, so
 * Playwright's round trips to the page are not in it.
 */
import * as Comlink from 'comlink';
import { sandboxDocument } from '../src/adapters/python/sandbox/sandboxDocument.ts';
import { poolSize, sandboxedPool } from '../src/adapters/python/sandbox/sandboxedPool.ts';
import type { RunStatus, TestsJob } from '../src/domain/verify.ts';

/** The slowest job, MBPP 123, takes about 6 s here; this only stops a pathology from hanging the bench. */
const LIMIT_MS = 60_000;

export type Timed = { seconds: number; statuses: Partial<Record<RunStatus, number>> };

const size = Number(new URLSearchParams(location.search).get('size')) || poolSize();
const pool = sandboxedPool({ indexURL: new URL('../pyodide/', location.href).href, size });

function tally(statuses: RunStatus[]): Timed['statuses'] {
  const counts: Timed['statuses'] = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Busy Python for `ms`: long enough that the pool must start another worker to run the next job. */
function busy(ms: number): TestsJob {
  return {
    program: `import time\n_end = time.perf_counter() + ${ms / 1000}`,
    tests: ['while time.perf_counter() < _end: pass'],
  };
}

/**
 * Start every worker: rounds of `size` busy jobs at once, until a round takes less than twice one job
 * (then they ran side by side, so all workers are up). The pool starts workers lazily, one at a time.
 */
async function warm(busyMs = 500, maxRounds = 30): Promise<{ rounds: number; seconds: number }> {
  const start = performance.now();
  for (let round = 1; round <= maxRounds; round++) {
    const t = performance.now();
    const outcomes = await Promise.all(Array.from({ length: size }, () => pool.runTests(busy(busyMs), LIMIT_MS)));
    const bad = outcomes.find((o) => o.status !== 'passed');
    if (bad) throw new Error(`warm-up job did not pass: ${JSON.stringify(bad)}`);
    if (performance.now() - t < 1.9 * busyMs) return { rounds: round, seconds: (performance.now() - start) / 1000 };
  }
  throw new Error(`the pool did not run ${size} jobs side by side after ${maxRounds} rounds`);
}

/** One job after another: one worker busy at a time, so each job costs its round trip plus its Python. */
async function sequential(jobs: TestsJob[]): Promise<Timed> {
  const statuses: RunStatus[] = [];
  const start = performance.now();
  for (const job of jobs) statuses.push((await pool.runTests(job, LIMIT_MS)).status);
  return { seconds: (performance.now() - start) / 1000, statuses: tally(statuses) };
}

/** All jobs submitted at once; the pool queues them over its workers. */
async function concurrent(jobs: TestsJob[]): Promise<Timed> {
  const start = performance.now();
  const outcomes = await Promise.all(jobs.map((job) => pool.runTests(job, LIMIT_MS)));
  return { seconds: (performance.now() - start) / 1000, statuses: tally(outcomes.map((o) => o.status)) };
}

// ---- the floor under a call: round trips that run no Python ---------------------------------------

const ECHO_WORKER = 'onmessage = (e) => { const p = e.ports[0]; p.onmessage = (m) => p.postMessage(m.data); };';
const MESSAGE = { program: 'def add(a, b):\n    return a + b', tests: ['assert add(1, 2) == 3'] };

/** `n` sequential round trips of a job-sized message on `port` (after 100 untimed ones). */
async function roundTrips(port: MessagePort, n: number, close: () => void): Promise<Timed> {
  const once = () => new Promise((resolve) => ((port.onmessage = resolve), port.postMessage(MESSAGE)));
  for (let i = 0; i < 100; i++) await once();
  const start = performance.now();
  for (let i = 0; i < n; i++) await once();
  const seconds = (performance.now() - start) / 1000;
  close();
  return { seconds, statuses: {} };
}

function echoWorkerUrl(): string {
  return URL.createObjectURL(new Blob([ECHO_WORKER], { type: 'text/javascript' }));
}

/** An echo worker started by this page, answering on a MessagePort (as the pool's workers do). */
async function echoInPage(n: number): Promise<Timed> {
  const url = echoWorkerUrl();
  const worker = new Worker(url);
  const channel = new MessageChannel();
  worker.postMessage(null, [channel.port2]);
  return roundTrips(channel.port1, n, () => (worker.terminate(), URL.revokeObjectURL(url)));
}

/**
 * The same echo worker started inside an iframe built like the Python sandbox (sandbox="allow-scripts",
 * allow="cross-origin-isolated", the same URL-free CSP): the port crosses into the iframe's agent, which
 * Chromium puts in a process of its own (sandboxed iframes are isolated).
 */
async function echoInSandbox(n: number): Promise<Timed> {
  const boot = `onmessage = (e) => { const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(ECHO_WORKER)}], { type: 'text/javascript' }))); w.postMessage(null, [e.ports[0]]); };`;
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.setAttribute('allow', 'cross-origin-isolated');
  iframe.hidden = true;
  iframe.srcdoc = await sandboxDocument(boot);
  const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  document.body.append(iframe);
  await loaded;
  const channel = new MessageChannel();
  iframe.contentWindow!.postMessage(null, '*', [channel.port2]);
  return roundTrips(channel.port1, n, () => iframe.remove());
}

/** Comlink's own cost: `n` calls to a no-op that replies like the runner, both ends on this thread. */
async function comlinkSameThread(n: number): Promise<Timed> {
  const channel = new MessageChannel();
  Comlink.expose({ runTests: () => ({ kind: 'reply', value: { status: 'passed' } }) }, channel.port2);
  const remote = Comlink.wrap<{ runTests(job: TestsJob): { kind: string } }>(channel.port1);
  for (let i = 0; i < 100; i++) await remote.runTests(MESSAGE);
  const start = performance.now();
  for (let i = 0; i < n; i++) await remote.runTests(MESSAGE);
  const seconds = (performance.now() - start) / 1000;
  remote[Comlink.releaseProxy]();
  return { seconds, statuses: {} };
}

/** A plain MessagePort echo, both ends on this thread: what Comlink rides on. */
async function echoSameThread(n: number): Promise<Timed> {
  const channel = new MessageChannel();
  channel.port2.onmessage = (m) => channel.port2.postMessage(m.data);
  return roundTrips(channel.port1, n, () => channel.port2.close());
}

const api = {
  size,
  cores: navigator.hardwareConcurrency,
  isolated: crossOriginIsolated,
  warm,
  sequential,
  concurrent,
  echoInPage,
  echoInSandbox,
  comlinkSameThread,
  echoSameThread,
};
export type RunnerPageApi = typeof api;

declare global {
  interface Window {
    bench: RunnerPageApi;
  }
}

window.bench = api;
document.title = 'ready';
