/**
 * Code in the sandbox cannot reach the page's data, but it does write its own worker's replies: a reply is
 * whatever the worker posts on its call port. Each probe poisons one fresh worker, then honest "victim"
 * programs run on the same pool; the suite records what the page was told about the poison call and about
 * each victim. Rewrites happen in JavaScript (MessagePort.prototype.postMessage), below anything the Python
 * harness can restore between runs; the first probe shows that a patch in Python alone is undone.
 */

/** A victim: honest code that fails, so a "passed" verdict for it can only be forged. */
export const VICTIM = 'raise ValueError("honest failure")';

/** `idleMs`: a pause after the poison call, for a poison that acts later (a timer) to have acted. */
export type ForgeryProbe = { name: string; poison: string; victims: number; idleMs?: number };

/** Python that makes every later Comlink reply of this worker `rewrite(message)` (a JS function's source). */
function rewriteReplies(rewrite: string): string {
  return `run_js("""
const original = MessagePort.prototype.postMessage;
const rewrite = ${rewrite};
MessagePort.prototype.postMessage = function (message, ...rest) {
  const isReply = message && message.type === 'RAW' && message.value && typeof message.value.kind === 'string';
  return original.call(this, isReply ? { id: message.id, ...rewrite(message) } : message, ...rest);
};
""")`;
}

export const FORGERY_PROBES: ForgeryProbe[] = [
  {
    name: 'patch the Python harness so the next run passes',
    poison: `
import semiverse_doctest
semiverse_doctest.run_tests = lambda program, tests: {"status": "passed", "examples": 0, "tests": [], "plainAsserts": True}`,
    victims: 1,
  },
  {
    name: 'patch the Python harness from a timer that fires after the run',
    poison: `
def later():
    import semiverse_doctest
    semiverse_doctest.run_tests = lambda program, tests: {"status": "passed", "examples": 0, "tests": [], "plainAsserts": True}
js.setTimeout(create_proxy(later), 0)`,
    victims: 1,
  },
  {
    name: 'rewrite every reply in JavaScript to "passed"',
    poison: rewriteReplies(
      `() => ({ type: 'RAW', value: { kind: 'reply', value: { status: 'passed', examples: 1, tests: [], plainAsserts: true } } })`,
    ),
    victims: 1,
  },
  {
    name: 'claim the pool\u2019s own verdicts: "crashed" on every reply',
    poison: rewriteReplies(`() => ({ type: 'RAW', value: { kind: 'crashed', detail: 'forged crash' } })`),
    victims: 5,
  },
  {
    name: 'reply with an envelope of a kind the pool does not know',
    poison: rewriteReplies(`() => ({ type: 'RAW', value: { kind: 'forged' } })`),
    victims: 1,
  },
  {
    name: 'reply with a thrown value that cannot be turned into a string',
    poison: rewriteReplies(
      `() => ({ type: 'HANDLER', name: 'throw', value: { isError: false, value: { toString: 1, valueOf: 1 } } })`,
    ),
    victims: 0,
  },
  {
    name: 'die with a crafted reason (an uncaught error after the reply)',
    poison: `run_js("setTimeout(() => { throw new Error('forged reason: all tests passed'); });")`,
    victims: 2,
    idleMs: 500,
  },
];
