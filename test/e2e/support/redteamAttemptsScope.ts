/**
 * Attempts on the worker's surroundings: which origin it runs in, whether it is a secure context, whether a
 * window, the page or a window-only channel is reachable, and whether eval and the Function constructor (the
 * usual way from a Pyodide JsProxy to the global scope) work. These programs assert the facts themselves.
 */
import type { Attempt } from './redteamAttempt.ts';

export const SCOPE_ATTEMPTS: Attempt[] = [
  {
    name: 'the origin, location and isolation the worker sees',
    python: `
assert str(js.origin) == "null", js.origin
assert str(js.location.href).startswith("blob:null/"), js.location.href
assert js.crossOriginIsolated, "expected the sandbox to be cross-origin isolated (interrupts)"`,
    expect: ['passed'],
    stoppedBy: 'opaque origin',
  },
  {
    // A blob: URL of an opaque origin is not "potentially trustworthy", so the worker is no secure context:
    // every [SecureContext] API is missing, a second wall behind the opaque origin.
    name: 'the worker is not a secure context: secure-only APIs are absent',
    python: `
assert not js.isSecureContext
for name in ("caches", "cookieStore", "WebTransport", "CacheStorage", "FileSystemHandle"):
    assert not hasattr(js, name), name
for name in ("storage", "locks", "serviceWorker", "usb", "hid", "serial", "bluetooth"):
    assert not hasattr(js.navigator, name), "navigator." + name
assert not hasattr(js.crypto, "subtle"), "crypto.subtle"`,
    expect: ['passed'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'parent, top, opener, window, document',
    python: `
for name in ("parent", "top", "opener", "window", "document", "frames"):
    assert not hasattr(js, name), name`,
    expect: ['passed'],
    stoppedBy: 'worker scope',
  },
  {
    // Ways out that exist only in a window: the clipboard, popups, printing, dialogs.
    name: 'window-only channels: clipboard, open, print, alert',
    python: `
assert not hasattr(js.navigator, "clipboard"), "navigator.clipboard"
for name in ("open", "print", "alert", "prompt"):
    assert not hasattr(js, name), name`,
    expect: ['passed'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'eval',
    python: `js.eval("self")`,
    expect: ['raised:js.EvalError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'Function constructor via pyodide_js.constructor.constructor',
    python: `
import pyodide_js
pyodide_js.constructor.constructor("return this")()`,
    expect: ['raised:js.EvalError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'Function constructor via a pyodide.ffi JsProxy',
    python: `
from pyodide.ffi import to_js
to_js([1]).constructor.constructor("return this")()`,
    expect: ['raised:js.EvalError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'arbitrary JavaScript via importScripts of a blob: URL (reaches only the worker)',
    python: `
run_js("self.redteamScope = String(self.origin) + ' ' + typeof indexedDB;")
assert str(js.redteamScope) == "null object", js.redteamScope`,
    expect: ['passed'],
    stoppedBy: 'nothing to stop',
  },
];
