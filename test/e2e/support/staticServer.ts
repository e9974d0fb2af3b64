/**
 * A plain static file server for the built app, like any static host. With `isolate` it also sends
 * COOP/COEP (then the page is cross-origin isolated and time limits use interrupts); without, it is the
 * GitHub-Pages case where the app must still work (terminate-and-respawn).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

export type StaticServer = { url: string; close(): Promise<void> };

export type ServeOptions = {
  isolate?: boolean;
  /** Paths answered with 404 while this returns true (a broken or half-deployed host). */
  missing?: (path: string) => boolean;
};

export async function serveStatic(root: string, opts: ServeOptions = {}): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (opts.missing?.(path)) return void res.writeHead(404).end('not found');
      let file = normalize(join(root, path));
      if (!file.startsWith(normalize(root))) return void res.writeHead(403).end();
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        await stat(file);
      } catch {
        return void res.writeHead(404).end('not found');
      }
      const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      if (opts.isolate) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
