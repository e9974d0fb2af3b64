/**
 * The runner's isolation and limits in Chromium, through the app's sandboxed pool (the same cases run in
 * Node: test/unit/runnerCases.test.ts), plus what only a pool in a browser can show: time limits on an
 * endless loop and on a long C call, and determinism checks across two workers with different hash seeds.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/domain/run.ts';
import { ALL_CASES, type Step } from '../builders/runnerCases.ts';
import { launchChromium } from './support/browser.ts';
import { startDevServer } from './support/devServer.ts';

const LIMIT_MS = 3000;

let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  const server = await startDevServer();
  const browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(server.url + 'test/e2e/pages/pool.html');
  await page.waitForFunction(() => document.title === 'ready');
  close = async () => {
    await browser.close();
    await server.close();
  };
});
afterAll(async () => close?.());

/**
 * Run steps one after another on the page's one-worker pool. Every case shares that one interpreter
 * (until a case costs it its worker), so each case also runs after all the others' leftovers.
 */
function runSteps(steps: Step[]): Promise<CallResult> {
  return page.evaluate(
    async ({ steps, limit }) => {
      const shared = window as unknown as { casePool?: ReturnType<typeof window.harness.newPool> };
      const pool = (shared.casePool ??= window.harness.newPool(1));
      let last: CallResult | null = null;
      for (const { pauseMs, ...job } of steps) {
        last = await pool.runCall(job, limit);
        if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      return last!;
    },
    { steps, limit: LIMIT_MS },
  );
}

describe('the Python runner in Chromium (sandboxed pool)', () => {
  it('runs in a cross-origin-isolated page, so time limits can interrupt', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  for (const testCase of ALL_CASES) {
    it(testCase.name, async () => testCase.check(await runSteps(testCase.steps)));
  }

  it('tells deterministic calls from those that depend on the random seed or on the hash seed', async () => {
    const verdicts = await page.evaluate(async (limit) => {
      const { checkDeterminism } = window.harness;
      const main = window.harness.newPool(1, 0);
      const other = window.harness.newPool(1, 1);
      const cases = {
        pure: { program: 'def f(xs):\n    return sorted(set(xs))', expression: 'f([3, 1, 2, 1])' },
        random: { program: 'import random', expression: 'random.random()' },
        hashOrder: { program: '', expression: "list({'apple', 'banana', 'cherry', 'damson', 'elder'})" },
      };
      const out: Record<string, boolean> = {};
      for (const [name, job] of Object.entries(cases)) {
        out[name] = (await checkDeterminism(main, job, limit, other)).deterministic;
      }
      return out;
    }, LIMIT_MS);
    expect(verdicts).toEqual({ pure: true, random: false, hashOrder: false });
  });
});
