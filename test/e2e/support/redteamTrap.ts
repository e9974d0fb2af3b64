/**
 * A loopback trap for the red-team suite: anything that leaves the sandbox towards 127.0.0.1:<port> lands
 * here and is recorded. It answers every HTTP request 200 with the most permissive CORS/CORP headers (and a
 * body that is valid JavaScript), so a request that got out is never hidden by a refused response; it
 * records WebSocket upgrades, CONNECT tunnels, raw TCP connections, and UDP datagrams on the same port
 * number (WebTransport and anything else QUIC-shaped would arrive there).
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TrapHit = {
  kind: 'request' | 'upgrade' | 'connect';
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
};

export type Trap = {
  /** Base URL, with a trailing slash. */
  url: string;
  port: number;
  hits: TrapHit[];
  /** TCP connections accepted, whether or not an HTTP request followed. */
  connections(): number;
  datagrams: { from: string; bytes: number }[];
  clear(): void;
  close(): Promise<void>;
};

const OPEN_DOORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': '*',
  'access-control-allow-headers': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'content-type': 'text/javascript',
};

export async function startTrap(): Promise<Trap> {
  const hits: TrapHit[] = [];
  const datagrams: Trap['datagrams'] = [];
  let connections = 0;
  const record = (kind: TrapHit['kind'], req: { method?: string; url?: string; headers: IncomingHttpHeaders }) =>
    hits.push({ kind, method: req.method ?? '', url: req.url ?? '', headers: req.headers });

  const server = createServer((req, res) => {
    record('request', req);
    res.writeHead(200, OPEN_DOORS).end('self.trapped = true;');
  });
  server.on('connection', () => (connections += 1));
  server.on('upgrade', (req, socket) => {
    record('upgrade', req);
    socket.destroy();
  });
  server.on('connect', (req, socket) => {
    record('connect', req);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const udp: Socket = createSocket('udp4');
  udp.on('message', (message, from) => datagrams.push({ from: `${from.address}:${from.port}`, bytes: message.length }));
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    hits,
    datagrams,
    connections: () => connections,
    clear: () => {
      hits.length = 0;
      datagrams.length = 0;
      connections = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(resolve));
    },
  };
}
