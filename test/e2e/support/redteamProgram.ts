/**
 * Turns a red-team attempt (redteamAttempts*.ts) into the Python program the sandbox runs. The prelude gives
 * every attempt the same few tools, so each attempt reads as just the attack:
 * - TRAP (the trap server's URL, ending in "/"), PAGE_BLOB (a blob: URL of the page's origin);
 * - `watch(promise)` and `watch_events(target, names)`: how an asynchronous attempt ends is written to a log
 *   that lives in the worker between calls (a JS Map on the worker's global scope: the harness undoes what a
 *   run does to Python's modules, not to JavaScript), and a later `collect` program reads it back;
 * - `record(text)`: write this attempt's end to the log directly;
 * - `run_js(source)`: JavaScript in the worker, through importScripts of a blob: URL (the CSP allows blob:
 *   scripts, and refuses eval and the Function constructor), for what Python cannot say, like import().
 * A JavaScript exception that escapes an attempt is re-raised as a Python exception whose type is the JS
 * error's name with a "js." prefix (js.SecurityError, js.NetworkError, ...), so outcomes read by type.
 */

export type Context = { trap: string; pageBlob: string };

const PRELUDE = `
import js
from pyodide.ffi import JsException, create_proxy, to_js

if not hasattr(js, "redteamLog"):
    js.globalThis.redteamLog = js.Map.new()
LOG = js.redteamLog

def record(value, name=ATTEMPT):
    LOG.set(name, value)

def _js_name(error):
    try:
        return str(error.name)
    except Exception:
        return type(error).__name__

def watch(promise):
    name = ATTEMPT
    LOG.set(name, "pending")
    def resolved(value):
        LOG.set(name, "resolved")
    def rejected(error):
        LOG.set(name, "rejected:" + _js_name(error))
    promise.then(create_proxy(resolved), create_proxy(rejected))

def watch_events(target, events):
    name = ATTEMPT
    LOG.set(name, "no event")
    for event in events:
        def heard(e, event=event):
            data = getattr(e, "data", None)
            LOG.set(name, event + (":" + str(data) if isinstance(data, str) else ""))
        target.addEventListener(event, create_proxy(heard))

def obj(**fields):
    return to_js(fields, dict_converter=js.Object.fromEntries)

def run_js(source):
    url = js.URL.createObjectURL(js.Blob.new([source], obj(type="text/javascript")))
    js.importScripts(url)

class Collected(Exception):
    pass
`;

function header(name: string, ctx: Context): string {
  return `ATTEMPT = ${JSON.stringify(name)}\nTRAP = ${JSON.stringify(ctx.trap)}\nPAGE_BLOB = ${JSON.stringify(ctx.pageBlob)}\n`;
}

export function attemptProgram(name: string, python: string, ctx: Context): string {
  const body = python
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `${header(name, ctx)}${PRELUDE}
def _attempt():
${body}

try:
    _attempt()
except JsException as _error:
    raise type("js." + _js_name(_error), (Exception,), {})(str(_error)) from None
`;
}

/** A program that fails with a `Collected` exception whose message is how the named async attempt ended. */
export function collectProgram(name: string, ctx: Context): string {
  return `${header(name, ctx)}${PRELUDE}\nraise Collected(LOG.get(ATTEMPT) if LOG.has(ATTEMPT) else "lost: its worker was replaced")\n`;
}
