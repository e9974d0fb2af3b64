/**
 * Test page: exposes the real sandboxed Python pool (the app's own adapter) to Playwright, so browser tests
 * can drive the runner in Chromium without the UI. Served by the Vite dev server, in tests only.
 */
import type { PythonPool } from '../../../src/adapters/python/pool.ts';
import { sandboxedPool } from '../../../src/adapters/python/sandbox/sandboxedPool.ts';
import { checkDeterminism } from '../../../src/core/verify/determinism.ts';

declare global {
  interface Window {
    harness: { newPool(size: number, hashSeed?: number): PythonPool; checkDeterminism: typeof checkDeterminism };
  }
}

// The static copy of Pyodide's files (vite.config.ts), served as-is; /node_modules/ would be transformed.
const indexURL = new URL('/pyodide/', location.href).href;
window.harness = {
  newPool: (size, hashSeed = 0) => sandboxedPool({ indexURL, size, hashSeed }),
  checkDeterminism,
};
document.title = 'ready';
