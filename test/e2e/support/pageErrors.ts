/**
 * Browser tests fail on any error the page did not handle (an uncaught exception, or a promise rejected
 * with nobody listening: Chromium reports both as `pageerror`) unless the test said it expects it.
 * `check()` throws with every unexpected one; sessions call it when they close.
 */
import type { Page } from 'playwright-core';

export type PageErrors = {
  /** Errors matching this are part of what the test does, not a failure. */
  expect(pattern: RegExp): void;
  readonly seen: readonly string[];
  check(): void;
};

export function watchPageErrors(page: Page): PageErrors {
  const seen: string[] = [];
  const expected: RegExp[] = [];
  page.on('pageerror', (error) => {
    seen.push(`${error.name}: ${error.message}`);
    console.error('page error:', error.message);
  });
  return {
    expect: (pattern) => void expected.push(pattern),
    seen,
    check() {
      const unexpected = seen.filter((message) => !expected.some((pattern) => pattern.test(message)));
      if (unexpected.length > 0)
        throw new Error(`the page had ${unexpected.length} unhandled error(s):\n${unexpected.join('\n')}`);
    },
  };
}
