/**
 * Attempts to talk to the page: messages shaped like the sandbox's protocol (SupervisorEvent in
 * workers/python/protocol.ts) and like Dexie's cross-tab notices, posted on every channel the worker can
 * reach. The page listens on window 'message' and on BroadcastChannels of the same names; it must hear
 * nothing, and the pool must go on answering honestly.
 */
import type { Attempt } from './redteamAttempt.ts';

const FORGED_EVENTS = `[
    obj(type="ready", isolated=False),
    obj(type="died", id=1, reason="forged death"),
    obj(type="cleared", id=1),
    obj(type="spawned", id=99, interruptible=False),
]`;

export const MESSAGE_ATTEMPTS: Attempt[] = [
  {
    name: 'self.postMessage of supervisor-shaped events',
    python: `
for event in ${FORGED_EVENTS}:
    js.postMessage(event)`,
    expect: ['passed'],
    stoppedBy: 'page ignores it',
  },
  {
    name: 'self.postMessage of a Comlink-shaped reply, with a MessagePort',
    python: `
channel = js.MessageChannel.new()
js.postMessage(obj(id="forged", type="RAW", value=obj(kind="reply", value=obj(status="passed"))), [channel.port2])`,
    expect: ['passed'],
    stoppedBy: 'page ignores it',
  },
  {
    name: "BroadcastChannel('semiverse').postMessage",
    python: `
channel = js.BroadcastChannel.new("semiverse")
for event in ${FORGED_EVENTS}:
    channel.postMessage(event)`,
    expect: ['passed'],
    stoppedBy: 'opaque origin',
  },
  {
    name: "BroadcastChannel('x-storagemutated-1'): a forged Dexie change notice",
    python: `
js.BroadcastChannel.new("x-storagemutated-1").postMessage(obj(type="storagemutated", parts=obj()))`,
    expect: ['passed'],
    stoppedBy: 'opaque origin',
  },
  {
    name: "the worker's own call port: supervisor events posted on it",
    async: true,
    python: `
# Every reply leaves through MessagePort.prototype.postMessage: wrap it once to catch the port the page
# handed this worker, then post forged events on that port.
proto = js.MessagePort.prototype
original = proto.postMessage
def forge(port, record=record):
    events = ${FORGED_EVENTS}
    for event in events:
        original.call(port, event)
    record(f"posted {len(events)} events on the call port")
run_js("""
self.redteamHook = (original, forge) => {
  MessagePort.prototype.postMessage = function (...args) {
    MessagePort.prototype.postMessage = original;
    original.apply(this, args);
    forge(this);
  };
};""")
record("hook not called")
js.redteamHook(original, create_proxy(forge))`,
    expect: ['posted 4 events on the call port'],
    stoppedBy: 'page ignores it',
  },
];
