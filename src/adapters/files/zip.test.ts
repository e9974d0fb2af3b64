/**
 * Zips written by CPython's zipfile (see test/builders/zipFixtures.py) must ingest exactly like the folder they were made
 * from; entries we cannot unpack must become skips; damaged or foreign blobs must fail with a typed error.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../domain/ingest.ts';
import {
  collectIngest,
  folderFromDisk,
  makeTempDir,
  writeFiles,
  type IngestResult,
} from '../../../test/builders/fsFolder.ts';
import { folderFromZip } from './zip.ts';

const FIXTURES_SCRIPT = fileURLToPath(new URL('../../../test/builders/zipFixtures.py', import.meta.url));

const PROJECT = {
  '.gitignore': '*.log\n',
  'a.py': 'def a():\n    return 1\n',
  'café.py': 'naïve = "ünïcode"\n',
  'bom.py': '\uFEFFx = 1\n',
  'blob.py': new Uint8Array([0x78, 0x00]),
  'latin.py': new Uint8Array([0x23, 0xe9, 0x0a]),
  'README.md': '# readme\n',
  'run.log': 'log\n',
  manage: '#!/usr/bin/env python3\nimport sys\n',
  'big.py': '#'.repeat(MAX_FILE_BYTES + 10),
  // Several hundred KiB: inflated in many chunks, so chunk joining is exercised.
  'gen/long.py': Array.from({ length: 20000 }, (_, i) => `value_${i} = ${i * 7919}\n`).join(''),
  'sub/.gitignore': '!keep.log\n',
  'sub/keep.log': 'kept\n',
  'sub/mod.py': 'y = 2\n',
  'node_modules/x/index.js': '',
  'pkg/__pycache__/m.pyc': new Uint8Array([0, 1]),
  'pkg/m.py': 'z = 3\n',
};

let work: string;
let zips: string;
let fromDisk: IngestResult;

const zipBlob = async (name: string) => new Blob([await readFile(join(zips, name))]);

beforeAll(async () => {
  work = await makeTempDir('semiverse-zip-');
  const src = join(work, 'proj');
  zips = join(work, 'zips');
  await writeFiles(src, PROJECT);
  await mkdir(zips);
  await mkdir(join(src, 'empty'));
  execFileSync('python3', [FIXTURES_SCRIPT, src, zips], { stdio: 'pipe' });
  fromDisk = await collectIngest(folderFromDisk(src));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('folderFromZip on archives of a real folder', () => {
  it.each([
    ['stored.zip', 'proj'],
    ['deflated.zip', 'deflated'],
    ['zip64.zip', 'zip64'],
  ])('%s ingests exactly like the folder on disk', async (file, name) => {
    const source = await folderFromZip(await zipBlob(file), file);
    expect(source).toMatchObject({ name, origin: 'zip' });
    const fromZip = await collectIngest(source);
    expect(fromZip.events).toEqual(fromDisk.events);
    expect(fromDisk.accepted.map((f) => f.path)).toEqual([
      'a.py',
      'bom.py',
      'café.py',
      'gen/long.py',
      'manage',
      'pkg/m.py',
      'sub/mod.py',
    ]);
  });

  it('turns directory entries into folders, empty ones included, under the stripped top folder', async () => {
    const source = await folderFromZip(await zipBlob('stored.zip'), 'stored.zip');
    const names = (await source.root.list()).filter((n) => n.kind === 'dir').map((n) => n.name);
    expect(names.sort()).toEqual(['empty', 'gen', 'node_modules', 'pkg', 'sub']);
  });

  it('reads an empty archive as an empty folder', async () => {
    const empty = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const source = await folderFromZip(new Blob([empty]), 'nothing.ZIP');
    expect(source.name).toBe('nothing');
    expect(await source.root.list()).toEqual([]);
  });
});

describe('folderFromZip on entries it cannot unpack', () => {
  it('lists encrypted, zstd and symlink entries as zip_unsupported skips, and reads the rest', async () => {
    const { accepted, skipped } = await collectIngest(await folderFromZip(await zipBlob('unsupported.zip'), 'u.zip'));
    expect(accepted.map((f) => [f.path, f.text])).toEqual([['ok.py', 'x = 1\n']]);
    expect(skipped).toEqual([
      { path: 'enc.py', isDir: false, reason: 'zip_unsupported', detail: 'encrypted zip entry' },
      { path: 'enc.txt', isDir: false, reason: 'not_python' },
      { path: 'link.py', isDir: false, reason: 'zip_unsupported', detail: 'symbolic link stored in the zip' },
      { path: 'zstd.py', isDir: false, reason: 'zip_unsupported', detail: 'compression method 93 (zstd)' },
    ]);
  });

  it('stops inflating an entry that grows past its declared size', async () => {
    const source = await folderFromZip(await zipBlob('bomb.zip'), 'bomb.zip');
    const [entry] = await source.root.list();
    if (entry?.kind !== 'file') throw new Error('bomb.zip should hold one file');
    expect(entry).toMatchObject({ name: 'bomb.py', size: 600 });
    await expect(entry.read()).rejects.toMatchObject({ name: 'SourceError', code: 'corrupt_zip' });
    const { skipped } = await collectIngest(source);
    expect(skipped).toMatchObject([{ path: 'bomb.py', reason: 'unreadable' }]);
  });
});

describe('folderFromZip on blobs that are not usable zips', () => {
  it.each([
    ['text', new Blob(['def f():\n    pass\n'])],
    ['an empty blob', new Blob([])],
  ])('rejects %s as not_zip with a message that names the file', async (_, blob) => {
    await expect(folderFromZip(blob, 'code.zip')).rejects.toMatchObject({
      name: 'SourceError',
      code: 'not_zip',
      message: expect.stringContaining('code.zip is not a zip archive'),
    });
  });

  it('rejects a truncated archive as not_zip', async () => {
    const bytes = await readFile(join(zips, 'stored.zip'));
    await expect(folderFromZip(new Blob([bytes.subarray(0, bytes.length - 30)]), 's.zip')).rejects.toMatchObject({
      code: 'not_zip',
    });
  });

  it('rejects a central directory that points outside the file as corrupt_zip', async () => {
    const bytes = new Uint8Array(await readFile(join(zips, 'deflated.zip')));
    new DataView(bytes.buffer).setUint32(bytes.length - 22 + 16, 0x7fffffff, true);
    await expect(folderFromZip(new Blob([bytes]), 'd.zip')).rejects.toMatchObject({
      name: 'SourceError',
      code: 'corrupt_zip',
    });
  });
});
