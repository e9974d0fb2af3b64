/**
 * Test page: exposes the real Python pool (the app's own adapter) to Playwright, so browser tests can run
 * the runner in Chromium without the UI in between. Served by the Vite dev server in tests only.
 */
import { PythonPool } from '../../../src/adapters/python/pool.ts';
import { spawnModuleWorker } from '../../../src/adapters/python/moduleWorker.ts';

const indexURL = new URL('/node_modules/pyodide/', location.href).href;

declare global {
  interface Window {
    harness: { newPool(size: number): PythonPool };
  }
}

window.harness = { newPool: (size) => new PythonPool(spawnModuleWorker, indexURL, size) };
document.title = 'ready';
