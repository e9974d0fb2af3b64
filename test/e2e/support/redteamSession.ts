/**
 * The red-team suite's moving parts in one place: the trap, the Vite dev server with the test page (the page
 * is cross-origin isolated, as the app is when served with COOP/COEP), and Chromium. `attack` runs attempts
 * in order on one pool of one worker and turns each outcome into a verdict (see redteamAttempt.ts).
 */
import type { Browser, Page } from 'playwright-core';
import type { RunResult } from '../pages/redteam.ts';
import { launchChromium } from './browser.ts';
import { startDevServer } from './devServer.ts';
import type { Attempt } from './redteamAttempt.ts';
import { attemptProgram, collectProgram, type Context } from './redteamProgram.ts';
import { startTrap, type Trap } from './redteamTrap.ts';

/** Every blocked attempt fails in milliseconds; this only bounds an attempt that would hang. */
const ATTEMPT_LIMIT_MS = 5_000;
/** Loading Python in a fresh worker takes ~2 s here; a busy machine may take several times that. */
const START_LIMIT_MS = 60_000;
/** Time for asynchronous attempts (requests, nested workers, IndexedDB callbacks) to end in the worker. */
const SETTLE_MS = 2_000;

export type RedTeam = { trap: Trap; page: Page; ctx: Context; close(): Promise<void> };

export async function openRedTeam(): Promise<RedTeam> {
  const trap = await startTrap();
  const server = await startDevServer({ isolate: true });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(`${server.url}test/e2e/pages/redteam.html`);
    await page.waitForFunction(() => document.title === 'ready');
    const pageBlob = await page.evaluate(() => window.redteam.pageBlobUrl);
    const close = async () => {
      await browser?.close();
      await server.close();
      await trap.close();
    };
    return { trap, page, ctx: { trap: trap.url, pageBlob }, close };
  } catch (error) {
    await browser?.close();
    await server.close();
    await trap.close();
    throw error;
  }
}

export function run(rt: RedTeam, pool: string, program: string, limitMs = ATTEMPT_LIMIT_MS): Promise<RunResult> {
  return rt.page.evaluate(([p, src, ms]) => window.redteam.run(p, src, ms), [pool, program, limitMs] as const);
}

/**
 * Start the named pool's worker with a harmless program, so that no attempt's limit (nor the page's hang
 * detection) includes loading Python.
 */
export async function warm(rt: RedTeam, pool: string): Promise<void> {
  const result = await run(rt, pool, 'pass', START_LIMIT_MS);
  if (result.status !== 'passed')
    throw new Error(`the sandboxed pool "${pool}" did not start: ${JSON.stringify(result)}`);
}

/**
 * The browser's targets (DevTools protocol): an `iframe` target is an out-of-process iframe, i.e. a frame
 * in a renderer process of its own.
 */
export async function targets(rt: RedTeam): Promise<{ type: string; url: string }[]> {
  const cdp = await rt.page.context().newCDPSession(rt.page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.map(({ type, url }) => ({ type, url }));
  } finally {
    await cdp.detach();
  }
}

export type Verdict = { attempt: Attempt; verdict: string; detail: string };

export async function attack(rt: RedTeam, attempts: Attempt[], pool = 'attacks'): Promise<Verdict[]> {
  await warm(rt, pool);
  const results: { attempt: Attempt; result: RunResult }[] = [];
  for (const attempt of attempts)
    results.push({ attempt, result: await run(rt, pool, attemptProgram(attempt.name, attempt.python, rt.ctx)) });
  await rt.page.waitForTimeout(SETTLE_MS);
  const verdicts: Verdict[] = [];
  for (const { attempt, result } of results) {
    if (attempt.async && result.status === 'passed') {
      const collected = await run(rt, pool, collectProgram(attempt.name, rt.ctx));
      const ended = collected.status === 'error' ? collected.exception.message : `collect ${collected.status}`;
      verdicts.push({ attempt, verdict: ended, detail: '' });
    } else verdicts.push({ attempt, ...verdictOf(result) });
  }
  return verdicts;
}

function verdictOf(result: RunResult): { verdict: string; detail: string } {
  switch (result.status) {
    case 'error':
      return { verdict: `raised:${result.exception.type}`, detail: result.exception.message };
    case 'crashed':
      return { verdict: 'crashed', detail: result.detail };
    case 'not_runnable':
      return { verdict: 'not_runnable', detail: result.detail };
    default:
      return { verdict: result.status, detail: '' };
  }
}

/** A fixed-width table for the test output: attempt, verdict, what stopped it, and the error's first words. */
export function table(verdicts: Verdict[]): string {
  const width = Math.max(...verdicts.map((v) => v.attempt.name.length));
  const vwidth = Math.max(...verdicts.map((v) => v.verdict.length));
  const swidth = Math.max(...verdicts.map((v) => v.attempt.stoppedBy.length));
  return verdicts
    .map(({ attempt, verdict, detail }) =>
      [
        attempt.name.padEnd(width),
        verdict.padEnd(vwidth),
        attempt.stoppedBy.padEnd(swidth),
        detail.slice(0, 90).replace(/\s+/g, ' '),
      ].join('  '),
    )
    .join('\n');
}
