/**
 * The Python standard library as a big, messy, real corpus: the copy inside Pyodide's own
 * python_stdlib.zip, read through our zip reader and ingest walker, extracted by the real harness, and
 * compared file by file with native CPython's ast on every file both can parse.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderFromZip } from '../../src/adapters/files/zip.ts';
import { parseExtractReply } from '../../src/core/extract/parseExtractReply.ts';
import { ingestFolder } from '../../src/core/ingest/walk.ts';
import type { AcceptedFile, SkippedPath } from '../../src/domain/ingest.ts';
import { nativeFunctionCounts } from '../builders/nativePython.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import type { Runner } from '../../workers/python/runner.ts';

const zipPath = createRequire(import.meta.url).resolve('pyodide/python_stdlib.zip');

let runner: Runner;
const accepted: AcceptedFile[] = [];
const skipped: SkippedPath[] = [];

beforeAll(async () => {
  runner = await nodeRunner();
  const source = await folderFromZip(new Blob([readFileSync(zipPath)]), 'python_stdlib');
  for await (const event of ingestFolder(source)) {
    if (event.type === 'file') accepted.push(event.file);
    else if (event.type === 'skip') skipped.push(event.skipped);
  }
}, 120_000);

describe("the standard library in Pyodide's python_stdlib.zip", () => {
  it('is read whole: every .py file accepted, everything else skipped with a reason', () => {
    expect(accepted.length).toBeGreaterThan(500);
    expect(accepted.every((f) => f.path.endsWith('.py'))).toBe(true);
    expect(skipped.filter((s) => s.path.endsWith('.py'))).toEqual([]);
    for (const skip of skipped) expect(skip.reason).toBeTruthy();
  });

  it('gives the same function count as native CPython on every file both parse', () => {
    const native = nativeFunctionCounts(accepted.map(({ path, text }) => ({ path, text })));
    let compared = 0;
    let functions = 0;
    for (const file of accepted) {
      const settled = runner.extract({ path: file.path, text: file.text, localModules: [] });
      if (settled.kind !== 'reply') throw new Error(`${file.path}: ${settled.kind}`);
      const reply = parseExtractReply(settled.value);
      const expected = native[file.path];
      if (!reply.ok || expected === null || expected === undefined) continue;
      expect(reply.functions.length, file.path).toBe(expected);
      compared += 1;
      functions += expected;
    }
    // Native CPython here is older than the 3.14 sources, so a few files parse only in the browser.
    expect(compared).toBeGreaterThan(accepted.length - 20);
    expect(functions).toBeGreaterThan(10_000);
    // Native CPython parses 1,800 files in one process: ~30 s here, more on a busy machine.
  }, 240_000);
});
