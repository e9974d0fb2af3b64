/**
 * One escape attempt: a Python program (see redteamProgram.ts for the tools it may use) and the verdicts that
 * mean it was contained. A verdict is:
 * - `raised:<type>`: the program failed with that exception (js.<Name> for a JavaScript error);
 * - for an asynchronous attempt (`async: true`) that started without raising, how it ended in the worker:
 *   `rejected:<Name>`, `resolved`, the name of the event that fired (`error`, `message:<text>`), `no event`;
 * - `passed` for a program that checks containment facts with its own asserts;
 * - otherwise the run's status (`timeout`, `crashed`, `not_runnable`, `hung`).
 * Whatever the verdict, the suite also checks that nothing reached the trap and no stored data changed.
 */
export type Attempt = {
  name: string;
  python: string;
  async?: boolean;
  /** Verdicts that mean "contained"; the first is what Chromium does today. */
  expect: string[];
  /**
   * What stops it, for the report: the iframe's opaque origin, its CSP, the worker not being a secure
   * context (an opaque origin's blob: URL is not trustworthy), the API not existing in a dedicated worker at
   * all, the page never reading the channel, or nothing (the attempt only shows the sandbox's reach).
   */
  stoppedBy: 'opaque origin' | 'CSP' | 'not a secure context' | 'worker scope' | 'page ignores it' | 'nothing to stop';
};
