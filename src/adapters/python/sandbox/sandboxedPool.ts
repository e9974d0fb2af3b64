/**
 * The product's Python: worker pools whose workers live in the sandbox. The sandbox starts on the first
 * call; if it cannot start (its runtime files are missing, say) the next attempt starts it afresh.
 */
import workerSource from 'virtual:python-worker';
import { PythonPool } from '../pool.ts';
import type { SpawnedWorker } from '../slot.ts';
import { SandboxHost } from './sandboxHost.ts';

/** Where the build puts Pyodide's runtime files (vite.config.ts copies them), as an absolute URL. */
export function pyodideIndexURL(): string {
  return new URL('pyodide/', document.baseURI).href;
}

/** One worker per core, at most six: each holds ~100 MB, and the page itself needs a core too. */
export function poolSize(): number {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 6));
}

/** One sandbox per runtime location, shared by every pool (each pool's workers are its own). */
const hosts = new Map<string, Promise<SandboxHost>>();

function host(indexURL: string): Promise<SandboxHost> {
  let created = hosts.get(indexURL);
  if (!created) {
    created = SandboxHost.create(indexURL, workerSource).catch((error: unknown) => {
      hosts.delete(indexURL); // a later attempt starts afresh (e.g. after the files were restored)
      throw error;
    });
    hosts.set(indexURL, created);
  }
  return created;
}

export function sandboxedPool(opts: { indexURL?: string; size?: number; hashSeed?: number } = {}): PythonPool {
  const indexURL = opts.indexURL ?? pyodideIndexURL();
  const spawn = async (): Promise<SpawnedWorker> => (await host(indexURL)).spawn(opts.hashSeed ?? 0);
  return new PythonPool(spawn, opts.size ?? poolSize());
}
