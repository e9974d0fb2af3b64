/**
 * The zip writer's archives read back byte for byte with the app's own reader, with CPython's zipfile
 * (testzip() checks every CRC) and with its command-line tool, including entries written side by side in
 * interleaved chunks, an entry of several MiB, an empty one, non-ASCII names, and a discarded one.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/builders/fsFolder.ts';
import { pythonZipfile, readZipOurs, readZipPython } from '../../test/builders/zipRead.ts';
import { crc32 } from './crc32.ts';
import { ZipTooLargeError, ZipWriter } from './zipWriter.ts';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('semiverse-zipwriter-');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** JSONL lines that compress like real samples do (repetitive keys, varied values). */
function jsonlLines(count: number, seed: string): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `${seed}::f${i}::${i * 7}`,
      instruction: `Return ${i} squared. ünï ${'x'.repeat(i % 50)}`,
      response: `def f${i}():\n    return ${i * i}\n`,
      tests: [`assert f${i}() == ${i * i}`],
    }),
  );
}

async function save(blob: Blob, name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, new Uint8Array(await blob.arrayBuffer()));
  return path;
}

describe('crc32', () => {
  it('gives the standard check value and continues across pieces', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('ZipWriter', () => {
  const expected = new Map<string, string>();
  let path: string;
  let blob: Blob;

  beforeAll(async () => {
    const zip = new ZipWriter({ modified: new Date(2026, 0, 2, 3, 4, 6) });
    const card = '# Card\n\nünïcödé ✓\n';
    await zip.add('semiverse-demo/README.md', card);
    expected.set('README.md', card);
    // Two entries filled side by side, chunk by chunk, as the export writes a train and a validation file.
    const train = zip.open('semiverse-demo/raw/train.jsonl');
    const validation = zip.open('semiverse-demo/raw/validation.jsonl');
    const skipped = zip.open('semiverse-demo/raw/nothing.jsonl');
    const empty = zip.open('semiverse-demo/empty.txt');
    const trainLines = jsonlLines(40_000, 'train');
    const validationLines = jsonlLines(3_000, 'validation');
    for (let i = 0; i < 100; i++) {
      await train.write(trainLines.slice(i * 400, (i + 1) * 400).join('\n') + '\n');
      if (i < 30) await validation.write(validationLines.slice(i * 100, (i + 1) * 100).join('\n') + '\n');
    }
    await skipped.write('{"never": "kept"}\n');
    await skipped.discard();
    await empty.close();
    await train.close();
    await validation.close();
    expected.set('raw/train.jsonl', trainLines.join('\n') + '\n');
    expected.set('raw/validation.jsonl', validationLines.join('\n') + '\n');
    expected.set('empty.txt', '');
    const bytes = new Uint8Array(256).map((_, i) => i);
    await zip.add('semiverse-demo/données/bytes.bin', bytes);
    expected.set('données/bytes.bin', Buffer.from(bytes).toString('latin1'));
    blob = await zip.finish();
    path = await save(blob, 'demo.zip');
  });

  it('is read back byte for byte by the app own reader', async () => {
    const { top, files } = await readZipOurs(blob);
    expect(top).toBe('semiverse-demo');
    expect([...files.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      const bytes = files.get(name)!;
      const want = name.endsWith('.bin') ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
      expect(sha(bytes), name).toBe(sha(want));
    }
    expect(blob.size).toBeLessThan(expected.get('raw/train.jsonl')!.length / 4); // deflated, not stored
  });

  it("passes CPython's zipfile: every CRC checks, entries are deflated with data descriptors and UTF-8 names", () => {
    const entries = readZipPython(path);
    expect(entries.map((e) => e.name)).toEqual([
      'semiverse-demo/README.md',
      'semiverse-demo/raw/train.jsonl',
      'semiverse-demo/raw/validation.jsonl',
      'semiverse-demo/empty.txt',
      'semiverse-demo/données/bytes.bin',
    ]);
    for (const entry of entries) {
      expect(entry.compress_type).toBe(8);
      expect(entry.flag_bits & 0x0808).toBe(0x0808);
      const inside = entry.name.slice('semiverse-demo/'.length);
      const want = inside.endsWith('.bin')
        ? Buffer.from(expected.get(inside)!, 'latin1')
        : Buffer.from(expected.get(inside)!, 'utf8');
      expect(entry.file_size).toBe(want.length);
      expect(sha(Buffer.from(entry.data, 'base64')), inside).toBe(sha(want));
    }
    const lines = Buffer.from(entries[1]!.data, 'base64').toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(40_000);
    expect(lines.every((line) => typeof JSON.parse(line).id === 'string')).toBe(true);
  });

  it('lists, tests and extracts with python3 -m zipfile', async () => {
    const listed = pythonZipfile('-l', path);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('semiverse-demo/raw/train.jsonl');
    expect(listed.stdout).toContain('2026-01-02 03:04:06');
    expect(pythonZipfile('-t', path).status).toBe(0);
    const out = join(dir, 'extracted');
    expect(pythonZipfile('-e', path, out).status).toBe(0);
    const train = await readFile(join(out, 'semiverse-demo/raw/train.jsonl'), 'utf8');
    expect(sha(train)).toBe(sha(expected.get('raw/train.jsonl')!));
  });

  it('refuses, with a typed error, what would need ZIP64', async () => {
    const zip = new ZipWriter({ limitBytes: 1000 });
    const entry = zip.open('big.jsonl');
    await entry.write('x'.repeat(600));
    await expect(entry.write('x'.repeat(600))).rejects.toBeInstanceOf(ZipTooLargeError);
    await zip.add('small.txt', 'ok');
    const blob = await zip.finish();
    const { files } = await readZipOurs(blob);
    expect([...files.keys()]).toEqual(['small.txt']);

    const many = new ZipWriter({ limitBytes: 200 });
    await many.add('a.txt', 'a'.repeat(150));
    await many.add('b.txt', 'b'.repeat(150));
    await expect(many.finish()).rejects.toMatchObject({ name: 'ZipTooLargeError' });
  });

  it('refuses names that would escape the folder, duplicates, and an archive with an entry left open', async () => {
    const zip = new ZipWriter();
    for (const name of ['../x', '/abs', 'a//b', 'a\\b', ''])
      expect(() => zip.open(name), name).toThrow(/not a relative zip entry name/);
    zip.open('a.txt');
    expect(() => zip.open('a.txt')).toThrow(/twice/);
    await expect(zip.finish()).rejects.toThrow(/still open: a.txt/);
  });
});
