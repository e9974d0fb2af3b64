/**
 * The runner's isolation and limits in Node, through the pyodide package (the same cases run in Chromium
 * through the sandboxed pool: test/e2e/runner.test.ts).
 */
import { beforeAll, describe, it } from 'vitest';
import { toCallResult } from '../../src/adapters/python/settle.ts';
import type { CallResult } from '../../src/domain/run.ts';
import type { Runner } from '../../workers/python/runner.ts';
import { ALL_CASES } from '../builders/runnerCases.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';

let runner: Runner;
beforeAll(async () => {
  runner = await nodeRunner();
});

describe('the Python runner in Node', () => {
  for (const testCase of ALL_CASES.filter((c) => !c.browserOnly)) {
    it(testCase.name, async () => {
      let last: CallResult | null = null;
      for (const { pauseMs, ...job } of testCase.steps) {
        const settled = runner.runCall(job);
        last = toCallResult(settled, 10_000);
        // A fatal error (the JS stack running out) loses the interpreter; the pool would start another.
        if (settled.kind === 'fault' && settled.fatal) runner = await nodeRunner();
        // Let the event loop run what the call scheduled, as it would between calls in a worker.
        if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      testCase.check(last!);
    });
  }
});
