/**
 * A folder built to break a naive pipeline (test/builders/hostileFolder.ts): doctests that never end, one
 * stuck in a long C call, a 5 MB file, binary and latin-1 ".py" files, syntax errors, parser-breaking
 * nesting, 5,000 tiny files, folders to skip. The run must reach "done" with every problem reported, on a
 * static host without cross-origin isolation (time limits then terminate and respawn workers).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../builders/fsFolder.ts';
import { writeHostileFolder, type HostileManifest } from '../builders/hostileFolder.ts';
import { nativeRun } from '../builders/nativePython.ts';
import {
  chooseFolder,
  downloadJsonl,
  functionsWithStatus,
  openApp,
  readStats,
  skippedText,
  waitForStatus,
  type Session,
} from './support/app.ts';

let root: string;
let manifest: HostileManifest;
let session: Session;

beforeAll(async () => {
  root = await makeTempDir('semiverse-hostile-');
  manifest = await writeHostileFolder(join(root, 'hostile'));
  session = await openApp();
  await chooseFolder(session.page, join(root, 'hostile'));
  await waitForStatus(session.page, 'done', 600_000);
}, 700_000);

afterAll(async () => {
  await session?.close();
  await rm(root, { recursive: true, force: true });
});

describe('a hostile folder', () => {
  it('finishes with every file either read or skipped, and counts agree with the manifest', async () => {
    const stats = await readStats(session.page);
    expect(stats.read).toBe(manifest.acceptedCount);
    expect(stats.skipped).toBe(manifest.skippedCount);
    const syntaxErrors = manifest.entries.filter((e) => e.expect === 'syntax_error');
    expect(stats.notParsed).toBe(syntaxErrors.length);
    const passing = manifest.entries.flatMap((e) => (e.expect === 'doctests_pass' ? e.functions : []));
    expect(stats.passed).toBe(passing.length);
    expect(stats.timedOut).toBe(manifest.entries.filter((e) => e.expect === 'timeout').length);
  });

  it('lists each skipped path with its reason, and each unparsable file with its error and line', async () => {
    const text = await skippedText(session.page);
    for (const entry of manifest.entries) {
      if (entry.expect.startsWith('skip:')) expect(text, entry.path).toContain(entry.path);
      if (entry.expect === 'syntax_error')
        expect(text, entry.path).toMatch(new RegExp(`${entry.path}\\s*${entry.error}, line ${entry.line}`));
    }
    expect(text).toMatch(/larger than 1 MiB[\s\S]*big\/huge\.py/);
    expect(text).toMatch(/binary file[\s\S]*binary\/blob\.py/);
    expect(text).toMatch(/not valid UTF-8[\s\S]*encoding\/latin1\.py/);
    await session.page.click('[role=tab]:first-child');
  });

  it('stops the endless loop and the long C call at the time limit, and the run goes on', async () => {
    const timedOut = await functionsWithStatus(session.page, 'timeout');
    const expected = manifest.entries.flatMap((e) => (e.expect === 'timeout' ? [e.function] : []));
    expect(timedOut.sort()).toEqual(expected.sort());
  });

  it('exports the good ones and every tiny function that is not a copy of another, and nothing that timed out', async () => {
    const { records } = await downloadJsonl(session.page);
    const stats = await readStats(session.page);
    // The 5,000 tiny functions differ only by a constant (`return x + i`): dedup keeps one of each cluster,
    // and the export leaves the copies out (the Duplicates tab counts them).
    const tab = (await session.page.textContent('[data-testid=duplicates-tab]')) ?? '';
    const copies = Number(/\((\d+)\)/.exec(tab)?.[1]);
    expect(copies).toBeGreaterThan(0);
    expect(records.length + copies).toBe(stats.passed);
    const names = new Set(records.map((r) => r.entry_point));
    expect(names.has('spin')).toBe(false);
    expect(names.has('big_sum')).toBe(false);
    for (const name of ['add', 'shout', 'deep']) expect(names.has(name), name).toBe(true);
    expect([...names].filter((name) => /^f\d+$/.test(name)).length).toBeGreaterThan(0);
    // Re-running 5,000 processes takes a while; a sample of them is enough to catch a systematic fault.
    const sample = records.filter(
      (_, i) => i % 100 === 0 || ['add', 'shout', 'deep'].includes(records[i]!.entry_point),
    );
    const rerun = nativeRun(sample.map((r) => `${r.response}\n${r.tests.join('\n')}\n`));
    expect(rerun.filter((r) => !r.ok)).toEqual([]);
  });
});
