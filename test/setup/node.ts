// IndexedDB for storage tests in Node (the browser tests use the real one).
import 'fake-indexeddb/auto';

/**
 * Reads outside the checkout fail the test file that made them (issue 8). Tests once read benchmark data
 * from the team's shared folder beside the checkout: they passed on the team's machines and failed for
 * anyone who cloned the project. So every Node file-reading function is wrapped, and a path is recorded
 * when it lies in the checkout's parent folder or in the user's home but not in the checkout (nor in the
 * temp folder); other places (system folders, node's own) are left alone.
 *
 * Invariants: a wrapped function behaves exactly like the original (same arguments, `this`, return value,
 * thrown error, callback, own properties such as `realpathSync.native`), apart from a promise's identity;
 * the wrappers are installed once per process, however many test files this setup runs for.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Where a path can lie: the checkout (and its real path, when reached through a link), the rest. */
export type Places = { checkouts: string[]; parent: string; home: string; temp: string };

function placesHere(): Places {
  const checkout = resolve(fileURLToPath(new URL('../../', import.meta.url)));
  return {
    checkouts: [...new Set([checkout, fs.realpathSync.native(checkout)])],
    parent: dirname(checkout),
    home: resolve(homedir()),
    temp: resolve(tmpdir()),
  };
}
export const PLACES = placesHere();

/** `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Whether reading `path` would make a test depend on something a plain clone does not have. */
export function isOutsideCheckout(path: string, places: Places = PLACES): boolean {
  const target = resolve(path);
  // The checkout's own folders above it (the parent, /) are on the way in, not outside.
  if (places.checkouts.some((checkout) => within(target, checkout) || within(checkout, target))) return false;
  const inParent = within(target, places.parent);
  // Beside the checkout is outside, even when the checkout itself was cloned into a temp folder
  // (/tmp/ci/main: /tmp/ci/shared is outside; the suite's own temp folders are /tmp/semiverse-…, not there).
  if (inParent && !within(places.temp, places.parent)) return true;
  if (within(target, places.temp)) return false;
  return inParent || (places.home !== sep && within(target, places.home));
}

/** One process-wide record, shared by every evaluation of this module (one per test file). */
type Recorder = { installed: boolean; reads: string[] };
const RECORDER_KEY = Symbol.for('semiverse.outsideReads');
const recorder: Recorder = ((globalThis as Record<symbol, Recorder | undefined>)[RECORDER_KEY] ??= {
  installed: false,
  reads: [],
});

/** The reads recorded since the last call, each as `path (function, called from file:line)`; clears them. */
export function takeOutsideReads(): string[] {
  return recorder.reads.splice(0);
}

function pathOf(arg: unknown): string | null {
  if (typeof arg === 'string') return arg;
  if (Buffer.isBuffer(arg)) return arg.toString();
  if (arg instanceof URL && arg.protocol === 'file:') {
    try {
      return fileURLToPath(arg);
    } catch {
      return null; // not a path here (a host, an encoded slash): the call itself reports that
    }
  }
  return null; // a file descriptor or a FileHandle: its path was checked when it was opened
}

/** The first caller outside node's internals and this file, so a failure names the line to fix. */
function caller(): string {
  const self = fileURLToPath(import.meta.url);
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const frame = frames.find((line) => !line.includes('node:') && !line.includes(self));
  return frame?.trim().replace(/^at /, '') ?? 'unknown caller';
}

/** How many wrapped calls are running: a read made inside another (readFileSync opens) is not noted again. */
let depth = 0;

function note(name: string, arg: unknown): void {
  if (depth > 0) return;
  const path = pathOf(arg);
  if (path !== null && isOutsideCheckout(path)) recorder.reads.push(`${resolve(path)} (${name}, ${caller()})`);
}

type Hooks = {
  /** Runs first, so a call that throws is seen too. */
  before?: (args: unknown[]) => void;
  /** Gets the result and returns what the caller receives. */
  after?: (args: unknown[], result: unknown) => unknown;
};

/** Replaces `target[name]` by a function that calls the original between `hooks`. */
function wrap(target: object, name: string, hooks: Hooks): void {
  const host = target as Record<string, unknown>;
  const original = host[name];
  if (typeof original !== 'function') throw new Error(`fs has no function ${name} to wrap`);
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    hooks.before?.(args);
    depth++;
    let result: unknown;
    try {
      result = Reflect.apply(original, this, args);
    } finally {
      depth--;
    }
    return hooks.after ? hooks.after(args, result) : result;
  };
  // name, length and extras such as realpathSync.native or a util.promisify.custom implementation.
  host[name] = Object.defineProperties(wrapper, Object.getOwnPropertyDescriptors(original));
}

/** Reads: recorded whether or not they succeed. */
const READS = ['readFileSync', 'readFile', 'openSync', 'open', 'createReadStream', 'readdirSync', 'readdir'];
const PROMISED_READS = ['readFile', 'open', 'readdir'];

/**
 * Probes (exists, stat) are recorded only when they find something: tools look upwards for optional files
 * (Vite's createServer checks every folder above the project for pnpm-workspace.yaml, lerna.json and
 * package.json), and a miss reads nothing.
 */
function install(): void {
  for (const name of READS) wrap(fs, name, { before: ([path]) => note(`fs.${name}`, path) });
  for (const name of PROMISED_READS) wrap(fs.promises, name, { before: ([path]) => note(`fs.promises.${name}`, path) });
  wrap(fs, 'existsSync', {
    after: ([path], found) => {
      if (found === true) note('fs.existsSync', path);
      return found;
    },
  });
  wrap(fs, 'statSync', {
    after: ([path], stats) => {
      if (stats !== undefined) note('fs.statSync', path);
      return stats;
    },
  });
  // The caller gets a promise derived from the original: it settles the same way, and a rejection nobody
  // handles is still reported as unhandled (a handler attached to the original would silence it).
  wrap(fs.promises, 'stat', {
    after: ([path], pending) =>
      (pending as Promise<unknown>).then((stats) => {
        note('fs.promises.stat', path);
        return stats;
      }),
  });
  // Named imports (`import { readFileSync } from 'node:fs'`) are bindings of their own: refresh them.
  syncBuiltinESMExports();
}

if (!recorder.installed) {
  install();
  recorder.installed = true;
}

afterAll(() => {
  const reads = takeOutsideReads();
  if (reads.length > 0)
    throw new Error(
      `This test file read outside the checkout, which a plain clone does not have (test/setup/node.ts):\n` +
        reads.join('\n'),
    );
});
