import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { pythonWorkerBundle } from './workers/pythonWorkerBundle.ts';
import { benchmarkIndexPlugin } from './build/benchmarkIndexPlugin.ts';

/**
 * Cross-origin isolation lets a time limit interrupt Python instead of killing its worker. The dev and
 * preview servers send these; public/_headers asks static hosts that read it to do the same. The app also
 * works without them (see docs/architecture.md, "Time limits").
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The Pyodide runtime files the workers load. Copied next to the app so nothing comes from a CDN. */
const PYODIDE_FILES = ['pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

/**
 * pyodide.mjs loads Node's built-ins with dynamic import() behind its is-Node check; the browser build never
 * runs those branches, so they resolve to an empty module instead of a warning per built-in at every build.
 */
function pyodideNodeBuiltins(): Plugin {
  const EMPTY = '\0pyodide-node-builtin';
  return {
    name: 'semiverse:pyodide-node-builtins',
    enforce: 'pre',
    resolveId: (id, importer) => (id.startsWith('node:') && importer?.includes('/pyodide/') ? EMPTY : null),
    load: (id) => (id === EMPTY ? 'export default {};' : null),
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any static host and any sub-path (e.g. GitHub Pages).
  base: './',
  plugins: [
    pyodideNodeBuiltins(),
    pythonWorkerBundle(() => [pyodideNodeBuiltins()]),
    benchmarkIndexPlugin(),
    svelte(),
    viteStaticCopy({
      targets: PYODIDE_FILES.map((file) => ({ src: `node_modules/pyodide/${file}`, dest: 'pyodide' })),
    }),
  ],
  // Pyodide locates its own files; pre-bundling it breaks that (DESIGN: exclude it, pass indexURL).
  optimizeDeps: { exclude: ['pyodide'] },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es', plugins: () => [pyodideNodeBuiltins()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          // Two files at a time (most hold one core, in Pyodide), before the browser tests (groupOrder),
          // which then have the machine to themselves: their time limits are measured against a clock.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'test/unit/**/*.test.ts'],
          setupFiles: ['test/setup/node.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Generators of committed fixtures (e.g. the database of a release): skipped unless asked for.
          name: 'fixtures',
          environment: 'node',
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          include: ['test/fixtures/**/*.fixture.ts'],
          setupFiles: ['test/setup/node.ts'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The built app in headless Chromium (Debian's, driven by playwright-core), one file at a time:
          // each test starts a browser with a pool of Python workers, and these machines have two cores.
          name: 'browser',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/support/globalSetup.ts'],
          setupFiles: ['test/setup/node.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
