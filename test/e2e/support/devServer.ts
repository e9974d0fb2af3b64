/**
 * The Vite dev server over the project, for tests that load test pages (test/e2e/pages) importing the
 * app's own modules. `isolate` adds COOP/COEP so the page is cross-origin isolated.
 */
import { createServer, type ViteDevServer } from 'vite';

export async function startDevServer(
  opts: { isolate?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const headers = opts.isolate
    ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
    : {};
  const server: ViteDevServer = await createServer({
    configFile: new URL('../../../vite.config.ts', import.meta.url).pathname,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', headers, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('dev server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
