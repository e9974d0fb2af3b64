/**
 * The product's Python: a worker pool whose workers live in the sandbox. The sandbox starts on the first
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

export function sandboxedPool(opts: { indexURL?: string; size?: number; hashSeed?: number } = {}): PythonPool {
  let host: Promise<SandboxHost> | null = null;
  const spawn = async (): Promise<SpawnedWorker> => {
    host ??= SandboxHost.create(opts.indexURL ?? pyodideIndexURL(), workerSource).catch((error: unknown) => {
      host = null;
      throw error;
    });
    return (await host).spawn(opts.hashSeed ?? 0);
  };
  return new PythonPool(spawn, opts.size ?? poolSize());
}
