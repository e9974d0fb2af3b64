/**
 * Red team: untrusted Python in the app's real sandboxed pool tries every way out we could think of (the
 * attempt tables in support/redteamAttempts*.ts), next to a page holding data worth stealing. Contained
 * means: no request, upgrade, connection or datagram reached the loopback trap server; the app's IndexedDB,
 * its list of databases, localStorage and Cache Storage are unchanged; no forged message reached the page;
 * and each attempt ended the way Chromium's containment makes it end (its verdict, see redteamAttempt.ts).
 * A control first has the page itself leak through each of those channels, so a pass means something.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from './pages/redteamStore.ts';
import { MESSAGE_ATTEMPTS } from './support/redteamAttemptsMessages.ts';
import { LOADING_ATTEMPTS } from './support/redteamAttemptsLoading.ts';
import { NETWORK_ATTEMPTS } from './support/redteamAttemptsNetwork.ts';
import { SCOPE_ATTEMPTS } from './support/redteamAttemptsScope.ts';
import { STORAGE_ATTEMPTS } from './support/redteamAttemptsStorage.ts';
import { attack, openRedTeam, run, table, targets, type RedTeam } from './support/redteamSession.ts';

const ATTEMPTS = [
  ...NETWORK_ATTEMPTS,
  ...LOADING_ATTEMPTS,
  ...STORAGE_ATTEMPTS,
  ...SCOPE_ATTEMPTS,
  ...MESSAGE_ATTEMPTS,
];

let rt: RedTeam;

beforeAll(async () => {
  rt = await openRedTeam();
  await rt.page.evaluate(() => window.redteam.seed());
});

afterAll(async () => {
  await rt?.close();
});

describe('the Python sandbox', () => {
  it('would notice a leak: the page leaking on purpose shows at the trap, in the snapshot and on the listeners', async () => {
    const { before, during, after } = await rt.page.evaluate((url) => window.redteam.leakOnPurpose(url), rt.ctx.trap);
    expect(rt.trap.hits.map((h) => `${h.kind} ${h.url}`)).toEqual([
      'request /control-from-page',
      'upgrade /control-websocket',
    ]);
    expect(during.semiverse).not.toBe(before.semiverse);
    expect(during.localStorage).not.toBe(before.localStorage);
    expect(during.caches).not.toBe(before.caches);
    expect(after).toEqual(before);
    const heard = await rt.page.evaluate(() => window.redteam.heard());
    expect(heard.map((h) => h.channel)).toEqual(
      expect.arrayContaining([
        'broadcast:semiverse',
        'broadcast:x-storagemutated-1',
        expect.stringMatching(/^window:/),
      ]),
    );
  });

  it(`contains ${ATTEMPTS.length} escape attempts`, async () => {
    rt.trap.clear();
    await rt.page.evaluate(() => window.redteam.forget());
    const before: Snapshot = await rt.page.evaluate(() => window.redteam.snapshot());

    const verdicts = await attack(rt, ATTEMPTS);
    console.log(`\n${table(verdicts)}\n`);

    expect(rt.trap.hits, 'requests that reached the trap').toEqual([]);
    expect(rt.trap.connections(), 'TCP connections to the trap').toBe(0);
    expect(rt.trap.datagrams, 'UDP datagrams to the trap').toEqual([]);
    expect(await rt.page.evaluate(() => window.redteam.snapshot())).toEqual(before);
    expect(await rt.page.evaluate(() => window.redteam.heard()), 'messages the page received').toEqual([]);
    const unexpected = verdicts.filter((v) => !v.attempt.expect.includes(v.verdict));
    expect(unexpected.map((v) => `${v.attempt.name}: ${v.verdict} (${v.detail})`)).toEqual([]);

    // The forged messages changed nothing for the page: the same pool still gives honest answers.
    expect(await run(rt, 'attacks', 'raise ValueError("honest")')).toMatchObject({
      status: 'error',
      exception: { type: 'ValueError', message: 'honest' },
    });
  });

  // The sandbox is cross-origin isolated (SharedArrayBuffer, fine timers: what Spectre-style reads need);
  // Chromium puts the sandboxed iframe in a renderer process of its own, so the page's memory is not there.
  it('runs in a renderer process of its own (an out-of-process iframe), away from the page\u2019s memory', async () => {
    expect(await targets(rt)).toEqual(expect.arrayContaining([{ type: 'iframe', url: 'about:srcdoc' }]));
  });
});
