/**
 * A large import (100,000 generated lines, a file on disk read as a Blob stream) in Node: memory stays
 * bounded by a batch and the ids seen, not by the file. The live heap (after a forced collection) is
 * sampled as the import goes and printed with the file's size.
 */
import { createWriteStream } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { exportJsonl } from '../../src/core/export/exportJsonl.ts';
import { importJsonl, type ImportSource } from '../../src/core/import/importJsonl.ts';
import type { StoragePort } from '../../src/core/ports.ts';
import type { ImportedRow } from '../../src/domain/dataset.ts';
import { llmRecord, naturalRecord } from '../builders/exportLines.ts';
import { makeTempDir } from '../builders/fsFolder.ts';

const LINES = 100_000;
let dir: string;
let path: string;
let fileBytes = 0;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The live heap now: what is still referenced after a full collection. */
function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

beforeAll(async () => {
  dir = await makeTempDir('semiverse-import-large-');
  path = join(dir, 'semiverse-large-2025-01-02.jsonl');
  const out = createWriteStream(path);
  for (let n = 0; n < LINES; n++) {
    const line = JSON.stringify(n % 4 === 3 ? llmRecord(n) : naturalRecord(n)) + '\n';
    fileBytes += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function source(): Promise<ImportSource> {
  const blob = await openAsBlob(path);
  return { name: 'semiverse-large-2025-01-02.jsonl', size: blob.size, stream: () => blob.stream() };
}

/** Samples the live heap every 8 MB of the file read, per stage. */
function heapWatch(): { onProgress: (p: { stage: string; bytes: number }) => void; peak: Record<string, number> } {
  const base = liveHeap();
  const peak: Record<string, number> = {};
  let next = 0;
  let stage = '';
  return {
    peak,
    onProgress: (p) => {
      if (p.stage !== stage) [stage, next] = [p.stage, 0];
      if (p.bytes < next) return;
      next = p.bytes + 8 * 2 ** 20;
      peak[p.stage] = Math.max(peak[p.stage] ?? 0, liveHeap() - base);
    },
  };
}

describe('a large import', () => {
  it('checks and streams 100,000 lines with memory bounded by a batch and the ids seen', async () => {
    // Storage that takes the batches and keeps nothing: what the import itself holds.
    let rows = 0;
    const sink = {
      project: async () => undefined,
      importedRows: async (keys: readonly string[]) => keys.map(() => undefined),
      saveImport: async (
        _id: string,
        batches: AsyncIterable<ImportedRow[]>,
        admit: (rows: ImportedRow[], stored: (ImportedRow | undefined)[]) => ImportedRow[],
      ) => {
        for await (const batch of batches)
          rows += admit(
            batch,
            batch.map(() => undefined),
          ).length;
      },
    } as unknown as StoragePort;
    const watch = heapWatch();
    const started = performance.now();
    const result = await importJsonl(sink, await source(), { kind: 'new', projectId: 'p', now: 0 }, watch);
    const seconds = (performance.now() - started) / 1000;
    expect(result).toMatchObject({ ok: true, lines: LINES, added: LINES });
    expect(rows).toBe(LINES);
    console.log(
      `import of ${LINES} lines (${mb(fileBytes)}), storage discarding: ${seconds.toFixed(1)} s; live heap growth ` +
        `at most ${mb(watch.peak['checking']!)} while checking, ${mb(watch.peak['storing']!)} while storing`,
    );
    // The ids seen (about 150 bytes a line) and a batch: well under the file's size.
    expect(watch.peak['checking']!).toBeLessThan(fileBytes / 3);
    expect(watch.peak['storing']!).toBeLessThan(fileBytes / 3);
  }, 120_000);

  it('stores 100,000 lines in IndexedDB (fake-indexeddb) and exports them again', async () => {
    const db = new SemiverseDb('import-large');
    const store = new DexieStore(db);
    const watch = heapWatch();
    const started = performance.now();
    const result = await importJsonl(store, await source(), { kind: 'new', projectId: 'big', now: 0 }, watch);
    const seconds = (performance.now() - started) / 1000;
    expect(result).toMatchObject({ ok: true, lines: LINES, added: LINES });
    expect(await db.imported.count()).toBe(LINES);
    let lines = 0;
    const summary = await exportJsonl(store, (await store.project('big'))!, (chunk) => {
      lines += chunk.split('\n').length - 1;
    });
    expect(summary).toMatchObject({ lines: LINES, imported: LINES });
    expect(lines).toBe(LINES);
    console.log(
      `import of ${LINES} lines (${mb(fileBytes)}) into fake-indexeddb: ${seconds.toFixed(1)} s; live heap growth ` +
        `at most ${mb(watch.peak['checking']!)} while checking, ${mb(watch.peak['storing']!)} while storing ` +
        '(fake-indexeddb keeps the stored rows in this heap)',
    );
  }, 600_000);
});
