/**
 * Red team, second part: code in the sandbox forging its own worker's replies (support/redteamForgedReplies.ts).
 * docs/sandbox.md ("Not claimed") accepts that a worker's replies are the sandboxed code's to write; what
 * must hold is that a forgery stays a claim about that worker's own calls, treated as untrusted data:
 * nothing reaches the trap or the
 * page's storage, every call settles with a well-formed outcome, and a worker cannot pass off the pool's
 * own verdicts (crashed, timed out) to stop the whole run.
 * The red-team run found the last two invariants broken (a forged "crashed" counted towards the storm cap,
 * an unknown envelope resolved to undefined, a thrown non-Error hung the call); adapters/python/envelope.ts
 * and the pool's accounting fixed them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from './pages/redteam.ts';
import type { Snapshot } from './pages/redteamStore.ts';
import { FORGERY_PROBES, VICTIM } from './support/redteamForgedReplies.ts';
import { attemptProgram } from './support/redteamProgram.ts';
import { openRedTeam, run, warm, type RedTeam } from './support/redteamSession.ts';

/** Honest calls take milliseconds; a short limit keeps the hung-call probe quick. */
const LIMIT_MS = 2_000;

type Observed = { poison: RunResult | undefined; victims: (RunResult | undefined)[]; unavailable: string | null };

let rt: RedTeam;
let before: Snapshot;
const observed = new Map<string, Observed>();

function probe(name: string): Observed {
  const found = observed.get(name);
  if (!found) throw new Error(`no probe named "${name}"`);
  return found;
}

beforeAll(async () => {
  rt = await openRedTeam();
  await rt.page.evaluate(() => window.redteam.seed());
  before = await rt.page.evaluate(() => window.redteam.snapshot());
  // Each probe gets a pool (one fresh worker) of its own, so one forgery cannot explain another's result.
  for (const { name, poison, victims, idleMs = 0 } of FORGERY_PROBES) {
    await warm(rt, name);
    const seen: Observed = {
      poison: await run(rt, name, attemptProgram(name, poison, rt.ctx), LIMIT_MS),
      victims: [],
      unavailable: null,
    };
    await rt.page.waitForTimeout(idleMs);
    for (let i = 0; i < victims; i++) seen.victims.push(await run(rt, name, VICTIM, LIMIT_MS));
    seen.unavailable = await rt.page.evaluate((pool) => window.redteam.unavailable(pool), name);
    observed.set(name, seen);
  }
  console.log(
    `\n${[...observed].map(([name, o]) => `${name}\n  poison: ${brief(o.poison)}\n  then:   ${o.victims.map(brief).join(' | ') || '-'}`).join('\n')}\n`,
  );
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

function brief(result: RunResult | undefined): string {
  if (result === undefined) return 'undefined';
  if (result.status === 'error') return `error ${result.exception.type}: ${result.exception.message}`;
  if (result.status === 'crashed') return `crashed: ${result.detail}`;
  return result.status;
}

const honest = { status: 'error', exception: { type: 'ValueError', message: 'honest failure' } };

describe('replies forged inside the sandbox', () => {
  it('stay inside it: nothing reaches the trap, the stored data or the page', async () => {
    expect(rt.trap.hits).toEqual([]);
    expect(rt.trap.connections()).toBe(0);
    expect(await rt.page.evaluate(() => window.redteam.snapshot())).toEqual(before);
    expect(await rt.page.evaluate(() => window.redteam.heard())).toEqual([]);
  });

  it('made in Python, do not outlive the run: the harness restores itself, even against a later timer', () => {
    expect(probe('patch the Python harness so the next run passes').victims).toMatchObject([honest]);
    expect(probe('patch the Python harness from a timer that fires after the run').victims).toMatchObject([honest]);
  });

  it('made in JavaScript, do forge the same worker\u2019s later replies (accepted in docs/sandbox.md: one worker per trust domain)', () => {
    expect(probe('rewrite every reply in JavaScript to "passed"').victims).toMatchObject([{ status: 'passed' }]);
  });

  it('cannot stop the whole run by claiming the pool\u2019s own verdict "crashed" five times', () => {
    const { victims, unavailable } = probe('claim the pool\u2019s own verdicts: "crashed" on every reply');
    expect(unavailable).toBeNull();
    expect(victims.map((v) => v?.status)).not.toContain('crashed');
  });

  it('always settle with a well-formed outcome, whatever the reply\u2019s envelope', () => {
    const unknown = probe('reply with an envelope of a kind the pool does not know').poison;
    expect(typeof unknown?.status).toBe('string');
    expect(probe('reply with a thrown value that cannot be turned into a string').poison?.status).not.toBe('hung');
  });

  it('do not charge a worker\u2019s death between calls to the next job', () => {
    const { victims } = probe('die with a crafted reason (an uncaught error after the reply)');
    expect(victims).toMatchObject([honest, honest]);
  });
});
