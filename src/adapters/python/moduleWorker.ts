/**
 * Spawns the Python worker as a module worker of this page (the plain host; see docs/ for the sandboxed
 * one). Vite bundles workers/python/python.worker.ts and its Pyodide loader into their own chunk.
 */
import type { SpawnedWorker } from './slot.ts';

export function spawnModuleWorker(): SpawnedWorker {
  const worker = new Worker(new URL('../../../workers/python/python.worker.ts', import.meta.url), {
    type: 'module',
    name: 'semiverse-python',
  });
  const died = new Promise<string>((resolve) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      resolve(event.message || 'the Python worker failed to load');
    });
    worker.addEventListener('messageerror', () => resolve('a message from the Python worker could not be read'));
  });
  return { endpoint: worker, terminate: () => worker.terminate(), died };
}

/** Where the build puts Pyodide's runtime files (vite.config.ts copies them), as an absolute URL. */
export function pyodideIndexURL(): string {
  return new URL('pyodide/', document.baseURI).href;
}

/** One worker per core, at most six: each holds ~100 MB, and the page itself needs a core too. */
export function poolSize(): number {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 6));
}
