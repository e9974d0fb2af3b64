/**
 * Test page for the red-team suite (test/e2e/redteam.test.ts): the app's real sandboxed Python pool, on
 * the app's origin, next to data worth stealing (redteamStore.ts) and listeners on every channel a forged
 * message could arrive on: window 'message' events, and BroadcastChannels named like the app's and Dexie's.
 */
import type { PythonPool } from '../../../src/adapters/python/pool.ts';
import { sandboxedPool } from '../../../src/adapters/python/sandbox/sandboxedPool.ts';
import type { RunOutcome } from '../../../src/domain/verify.ts';
import { db, MODEL_CACHE, PROJECT_ID, seed, snapshot, type Snapshot } from './redteamStore.ts';

/** 'semiverse' is the app's name; 'x-storagemutated-1' is the channel Dexie uses to tell other tabs of writes. */
const CHANNELS = ['semiverse', 'x-storagemutated-1'];

/**
 * A call settles by its limit plus the pool's interrupt grace (1 s) and a terminate, after a fresh worker
 * started when the last one died (loading Python: seconds on a busy machine, not counted in the limit): one
 * still open this long after its limit never will.
 */
const HANG_MARGIN_MS = 20_000;

export type Heard = { channel: string; data: string }[];
export type RunResult = RunOutcome | { status: 'hung'; afterMs: number };

const heard: Heard = [];
const listen = (channel: string, data: unknown) => heard.push({ channel, data: asText(data) });

function asText(data: unknown): string {
  try {
    return JSON.stringify(data) ?? String(data);
  } catch {
    return String(data);
  }
}

const pools = new Map<string, PythonPool>();
const indexURL = new URL('/pyodide/', location.href).href;

function poolNamed(name: string): PythonPool {
  let pool = pools.get(name);
  if (!pool) pools.set(name, (pool = sandboxedPool({ indexURL, size: 1 })));
  return pool;
}

const redteam = {
  /** A blob: URL of the page's own origin holding a secret, for attempts that try to read page blobs. */
  pageBlobUrl: URL.createObjectURL(new Blob(['page secret'], { type: 'text/javascript' })),

  async seed(): Promise<void> {
    await seed();
    for (const name of CHANNELS) new BroadcastChannel(name).onmessage = (e) => listen(`broadcast:${name}`, e.data);
    addEventListener('message', (e) => listen(`window:${e.origin}`, e.data));
  },

  snapshot,
  heard: (): Heard => [...heard],
  forget: (): void => void heard.splice(0),

  /**
   * The page itself leaks, on purpose, through each channel the suite watches, and undoes its writes: proof
   * that the checks would see a leak. Returns what the snapshots looked like along the way.
   */
  async leakOnPurpose(trapUrl: string): Promise<{ before: Snapshot; during: Snapshot; after: Snapshot }> {
    await fetch(`${trapUrl}control-from-page`);
    await new Promise((resolve) => {
      const socket = new WebSocket(`${trapUrl.replace('http:', 'ws:')}control-websocket`);
      socket.onerror = socket.onclose = resolve;
    });
    const before = await snapshot();
    const cache = await caches.open(MODEL_CACHE);
    const entry = new URL('/model/control.bin', location.href).href;
    await db.projects.update(PROJECT_ID, { name: 'changed by the control' });
    localStorage.setItem('semiverse:control', '1');
    await cache.put(entry, new Response('control'));
    const during = await snapshot();
    await db.projects.update(PROJECT_ID, { name: 'private-repo' });
    localStorage.removeItem('semiverse:control');
    await cache.delete(entry);
    postMessage({ type: 'control' }, '*');
    new BroadcastChannel('semiverse').postMessage({ type: 'control' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { before, during, after: await snapshot() };
  },

  /** Run one program on the named pool (one worker, started on first use); see HANG_MARGIN_MS. */
  async run(pool: string, program: string, limitMs: number): Promise<RunResult> {
    const hangMs = limitMs + HANG_MARGIN_MS;
    const hung = new Promise<RunResult>((resolve) =>
      setTimeout(() => resolve({ status: 'hung', afterMs: hangMs }), hangMs),
    );
    return Promise.race([poolNamed(pool).runTests({ program, tests: [] }, limitMs), hung]);
  },

  unavailable: (pool: string): string | null => pools.get(pool)?.unavailable ?? null,
};

declare global {
  interface Window {
    redteam: typeof redteam;
  }
}

window.redteam = redteam;
document.title = 'ready';
