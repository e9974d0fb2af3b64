/**
 * Builds the app once for all browser tests, into its own folder (a developer's dist/ is left alone).
 * Tests serve it with a plain static server, as any static host would.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    distDir: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const outDir = fileURLToPath(new URL('../../../test-results/e2e-dist/', import.meta.url));
  await build({
    configFile: fileURLToPath(new URL('../../../vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  project.provide('distDir', outDir);
}
