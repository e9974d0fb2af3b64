/**
 * Dedup as a person sees it, in Chromium: a folder with an exact copy (renamed) and a near copy (other
 * names, another message) runs to done; the Duplicates tab shows each cluster, what was kept, what was
 * merged into it and why; a stricter threshold, applied from the tab, re-runs dedup and the near copy is
 * no longer one; a threshold out of bounds is refused with a message.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clampSource } from '../builders/nearCopies.ts';
import { makeTempDir, writeFiles, type FileMap } from '../builders/fsFolder.ts';
import { chooseFolder, openApp, waitForStatus, type Session } from './support/app.ts';

const FOLDER: FileMap = {
  // `bound` is `clamp` with other names and message: token 5-grams about 0.8 alike (dedupRerun.test.ts).
  'mathy.py': clampSource('clamp', ['x', 'lo', 'hi'], 'empty range'),
  'util/more.py': clampSource('bound', ['value', 'low', 'high'], 'low > high'),
  // `dbl` is `double` renamed, without the doctest: an exact copy; `double` is kept for its example.
  'twice.py': 'def double(n):\n    """Twice n.\n\n    >>> double(2)\n    4\n    """\n    return n * 2\n',
  'util/copy.py': 'def dbl(m):\n    # the same thing\n    return m * 2\n',
};

let dir: string;
let session: Session;

beforeAll(async () => {
  dir = await makeTempDir('semiverse-e2e-duplicates-');
  await writeFiles(dir, FOLDER);
  session = await openApp();
});
afterAll(async () => {
  await session?.close();
  await rm(dir, { recursive: true, force: true });
});

const copies = async (): Promise<{ kind: string | null; text: string }[]> => {
  const items = session.page.locator('[data-testid=duplicate-copy]');
  return Promise.all(
    (await items.all()).map(async (item) => ({
      kind: await item.getAttribute('data-kind'),
      text: (await item.textContent()) ?? '',
    })),
  );
};

describe('duplicates in Chromium', () => {
  it('shows each cluster: the function kept, the copies merged into it, and why', async () => {
    const { page } = session;
    await chooseFolder(page, dir);
    await waitForStatus(page, 'done');
    await page.click('[data-testid=duplicates-tab]');
    await expect.poll(() => page.locator('[data-testid=duplicate-cluster]').count(), { timeout: 30_000 }).toBe(2);
    const found = await copies();
    const exact = found.find((c) => c.kind === 'exact')!;
    const near = found.find((c) => c.kind === 'near')!;
    expect(exact.text).toContain('dbl');
    expect(exact.text).toContain('util/copy.py');
    expect(exact.text).toMatch(/same code up to names/);
    expect(near.text).toContain('bound');
    expect(near.text).toMatch(/near: Jaccard 0\.\d\d ≥ 0\.70 over token 5-grams/);
    const clusters = (await page.locator('[data-testid=duplicate-cluster]').allTextContents()).join('\n');
    expect(clusters).toContain('double');
    expect(clusters).toContain('clamp');
  });

  it('refuses a threshold out of bounds, and re-runs dedup with a stricter one', async () => {
    const { page } = session;
    await page.fill('[data-testid=dedup-threshold]', '2');
    await expect.poll(() => page.locator('[data-testid=dedup-settings-problem]').textContent()).toMatch(/threshold/i);
    expect(await page.locator('[data-testid=dedup-apply]').isDisabled()).toBe(true);

    await page.fill('[data-testid=dedup-threshold]', '0.95');
    await page.click('[data-testid=dedup-apply]');
    await waitForStatus(page, 'done');
    await expect.poll(async () => (await copies()).map((c) => c.kind), { timeout: 120_000 }).toEqual(['exact']);
  });
});
