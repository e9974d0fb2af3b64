/**
 * Attempts on the app's stored data: IndexedDB 'semiverse' (directly, through Pyodide's own handle on the
 * global scope, and through Emscripten's IDBFS), web-llm's Cache Storage, localStorage and the origin's
 * other storage. Writes and deletes are attempted too: the page's snapshot would show them.
 */
import type { Attempt } from './redteamAttempt.ts';

export const STORAGE_ATTEMPTS: Attempt[] = [
  {
    name: "indexedDB.open('semiverse') and read it",
    async: true,
    python: `
request = js.indexedDB.open("semiverse")
def opened(e):
    db = request.result
    record("opened: stores " + ",".join(db.objectStoreNames.to_py()))
request.addEventListener("success", create_proxy(opened))
watch_events(request, ["error", "blocked"])`,
    expect: ['raised:js.SecurityError'],
    stoppedBy: 'opaque origin',
  },
  {
    name: "indexedDB.deleteDatabase('semiverse')",
    async: true,
    python: `watch_events(js.indexedDB.deleteDatabase("semiverse"), ["success", "error", "blocked"])`,
    expect: ['raised:js.SecurityError'],
    stoppedBy: 'opaque origin',
  },
  {
    // Playwright reports an empty 'pageerror' for this one (DevTools sees the worker's rejection, which the
    // attempt handles); no script of the page sees any error or rejection event.
    name: 'indexedDB.databases()',
    async: true,
    python: `watch(js.indexedDB.databases())`,
    expect: ['rejected:SecurityError'],
    stoppedBy: 'opaque origin',
  },
  {
    name: 'IndexedDB through the global scope from pyodide_js',
    async: true,
    python: `
import pyodide_js
scope = pyodide_js.globalThis if hasattr(pyodide_js, "globalThis") else js.globalThis
watch_events(scope.indexedDB.open("semiverse", 99), ["success", "error", "upgradeneeded"])`,
    expect: ['raised:js.SecurityError'],
    stoppedBy: 'opaque origin',
  },
  {
    name: 'Emscripten IDBFS mount + syncfs (Python files into IndexedDB)',
    async: true,
    python: `
import pyodide_js
fs = pyodide_js.FS
fs.mkdirTree("/persist")
fs.mount(fs.filesystems.IDBFS, obj(), "/persist")
open("/persist/stolen.txt", "w").write("secret")
record("pending")
fs.syncfs(False, create_proxy(lambda error=None: record("synced" if not error else "error:" + _js_name(error))))`,
    expect: ['error:SecurityError'],
    stoppedBy: 'opaque origin',
  },
  {
    name: "caches.open('webllm/model')",
    async: true,
    python: `watch(js.caches.open("webllm/model"))`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'caches.keys()',
    async: true,
    python: `watch(js.caches.keys())`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: "caches.delete('webllm/model')",
    async: true,
    python: `watch(js.caches.delete("webllm/model"))`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'localStorage',
    python: `js.localStorage.setItem("semiverse:settings", "overwritten")`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'sessionStorage',
    python: `js.sessionStorage.getItem("semiverse:settings")`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'cookieStore / document.cookie',
    python: `js.cookieStore.getAll() if hasattr(js, "cookieStore") else js.document.cookie`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'navigator.storage.estimate()',
    async: true,
    python: `watch(js.navigator.storage.estimate())`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'navigator.storage.getDirectory() (origin private file system)',
    async: true,
    python: `watch(js.navigator.storage.getDirectory())`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'navigator.locks.request',
    async: true,
    python: `watch(js.navigator.locks.request("semiverse", create_proxy(lambda lock: 1)))`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'navigator.serviceWorker.register',
    async: true,
    python: `watch(js.navigator.serviceWorker.register(TRAP + "sw.js"))`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
];
