import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, type SkippedPath } from '../../domain/ingest.ts';
import {
  collectIngest,
  folderFromDisk,
  makeTempDir,
  writeFiles,
  type FileMap,
  type IngestResult,
} from '../../../test/builders/fsFolder.ts';

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** One folder exercising every ingest rule; comments give the verdict the walker must reach. */
const PROJECT: FileMap = {
  '.gitignore': 'build/\n*.log\n!keep.log\nsecret.py\n',
  'app.py': 'def add(a, b):\n    return a + b\n', // accepted
  'gui.pyw': 'import tkinter\n', // accepted
  'LOUD.PY': 'x = 1\n', // accepted: extensions are compared case-insensitively
  'api.pyi': 'def add(a: int, b: int) -> int: ...\n', // type_stub
  'README.md': '# project\n', // not_python
  'run.log': 'log\n', // gitignored (root line 2)
  'keep.log': 'kept\n', // not_python: re-included by !keep.log, and not Python
  'build/gen.py': 'x = 1\n', // the folder: gitignored (root line 1)
  manage: '#!/usr/bin/env python3\nprint("hi")\n', // accepted: python shebang
  deploy: '#!/bin/sh\necho hi\n', // not_python
  'bom.py': concat(BOM, utf8('x = "bom"\n')), // accepted, BOM stripped
  'blob.py': new Uint8Array([0x78, 0x00, 0x79]), // binary
  'latin.py': concat(utf8('# caf'), new Uint8Array([0xe9]), utf8('\n')), // not_utf8
  'big.py': '#'.repeat(MAX_FILE_BYTES) + '\n', // too_large
  'limit.py': '#'.repeat(MAX_FILE_BYTES - 1) + '\n', // accepted: exactly the limit
  '.git/config': '[core]\n', // vcs
  '.hg/store/x': '', // vcs
  '.svn/entries': '', // vcs
  'node_modules/pkg/index.js': '', // node_modules
  'pkg/__pycache__/m.cpython-311.pyc': new Uint8Array([0x00, 0x0d]), // pycache
  'pkg/m.py': 'def m():\n    pass\n', // accepted
  '.venv/bin/python': '', // virtualenv (by name)
  'venv/lib/x.py': '', // virtualenv
  '.tox/py311/x.py': '', // virtualenv
  '.nox/s/x.py': '', // virtualenv
  'vendor/site-packages/requests/__init__.py': '', // virtualenv
  'env311/pyvenv.cfg': 'home = /usr/bin\n', // the folder: virtualenv, found by its marker
  'env311/lib/mod.py': 'x = 1\n',
  'sub/.gitignore': '!important.log\nlocal_only.py\n',
  'sub/important.log': 'x\n', // not_python: the deeper .gitignore re-includes it
  'sub/local_only.py': 'x = 1\n', // gitignored by sub/.gitignore line 2
  'sub/secret.py': 'x = 1\n', // gitignored by the root .gitignore line 4
  'sub/mod.py': 'y = 2\n', // accepted
};

const ACCEPTED = ['LOUD.PY', 'app.py', 'bom.py', 'gui.pyw', 'limit.py', 'manage', 'pkg/m.py', 'sub/mod.py'];

const SKIPPED: SkippedPath[] = [
  { path: '.git', isDir: true, reason: 'vcs' },
  { path: '.gitignore', isDir: false, reason: 'not_python' },
  { path: '.hg', isDir: true, reason: 'vcs' },
  { path: '.nox', isDir: true, reason: 'virtualenv' },
  { path: '.svn', isDir: true, reason: 'vcs' },
  { path: '.tox', isDir: true, reason: 'virtualenv' },
  { path: '.venv', isDir: true, reason: 'virtualenv' },
  { path: 'README.md', isDir: false, reason: 'not_python' },
  { path: 'api.pyi', isDir: false, reason: 'type_stub' },
  { path: 'big.py', isDir: false, reason: 'too_large', detail: `${MAX_FILE_BYTES + 1} bytes` },
  { path: 'blob.py', isDir: false, reason: 'binary', detail: 'NUL byte in the first 8000 bytes' },
  { path: 'build', isDir: true, reason: 'gitignored', detail: '.gitignore:1:build/' },
  { path: 'deploy', isDir: false, reason: 'not_python' },
  { path: 'env311', isDir: true, reason: 'virtualenv', detail: 'contains pyvenv.cfg' },
  { path: 'keep.log', isDir: false, reason: 'not_python' },
  { path: 'latin.py', isDir: false, reason: 'not_utf8', detail: 'invalid UTF-8 on line 1' },
  { path: 'node_modules', isDir: true, reason: 'node_modules' },
  { path: 'pkg/__pycache__', isDir: true, reason: 'pycache' },
  { path: 'run.log', isDir: false, reason: 'gitignored', detail: '.gitignore:2:*.log' },
  { path: 'sub/.gitignore', isDir: false, reason: 'not_python' },
  { path: 'sub/important.log', isDir: false, reason: 'not_python' },
  { path: 'sub/local_only.py', isDir: false, reason: 'gitignored', detail: 'sub/.gitignore:2:local_only.py' },
  { path: 'sub/secret.py', isDir: false, reason: 'gitignored', detail: '.gitignore:4:secret.py' },
  { path: 'vendor/site-packages', isDir: true, reason: 'virtualenv' },
  { path: 'venv', isDir: true, reason: 'virtualenv' },
];

describe('ingestFolder over a folder on disk', () => {
  let dir: string;
  let result: IngestResult;

  beforeAll(async () => {
    dir = await makeTempDir();
    await writeFiles(dir, PROJECT);
    result = await collectIngest(folderFromDisk(dir));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts exactly the Python sources', () => {
    expect(result.accepted.map((f) => f.path).sort()).toEqual(ACCEPTED);
  });

  it('skips everything else with exactly the expected reason, path and detail', () => {
    expect([...result.skipped].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual(SKIPPED);
  });

  it('accounts for every top-level entry and every path of kept folders exactly once', () => {
    const paths = [...result.accepted.map((f) => f.path), ...result.skipped.map((s) => s.path)];
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.length).toBe(ACCEPTED.length + SKIPPED.length);
  });

  it('hashes the raw bytes (BOM included) and strips the BOM from the text', async () => {
    const bom = result.accepted.find((f) => f.path === 'bom.py')!;
    const raw = await readFile(join(dir, 'bom.py'));
    expect(bom.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(bom).toMatchObject({ size: raw.length, text: 'x = "bom"\n' });
  });

  it('keeps text byte-exact for ordinary files', () => {
    expect(result.accepted.find((f) => f.path === 'manage')?.text).toBe(PROJECT['manage']);
    expect(result.accepted.find((f) => f.path === 'limit.py')?.size).toBe(MAX_FILE_BYTES);
  });
});

describe('ingestFolder order and progress', () => {
  let dir: string;
  beforeAll(async () => (dir = await makeTempDir()));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks depth-first in code-unit order of names', async () => {
    const root = join(dir, 'order');
    await writeFiles(root, {
      'a.py': '',
      'a.b.py': '',
      'a/x.py': '',
      'B.py': '',
      'Z/q.py': '',
      'a/y/z.py': '',
      'a/w.py': '',
    });
    const { events } = await collectIngest(folderFromDisk(root));
    const paths = events.map((e) => (e.type === 'file' ? e.file.path : e.type === 'skip' ? e.skipped.path : '#'));
    expect(paths).toEqual(['B.py', 'Z/q.py', 'a/w.py', 'a/x.py', 'a/y/z.py', 'a.b.py', 'a.py']);
  });

  it('handles 260 files in one folder and reports progress every 200 entries', async () => {
    const root = join(dir, 'many');
    const files: FileMap = {};
    for (let i = 0; i < 260; i++) files[`pkg/f${String(i).padStart(3, '0')}.py`] = `def f${i}():\n    return ${i}\n`;
    await writeFiles(root, files);
    const { accepted, skipped, events, progress } = await collectIngest(folderFromDisk(root));
    expect(accepted).toHaveLength(260);
    expect(skipped).toEqual([]);
    expect(progress).toEqual([200]);
    expect(events.findIndex((e) => e.type === 'progress')).toBe(200);
    expect(accepted[259]).toMatchObject({ path: 'pkg/f259.py', text: 'def f259():\n    return 259\n' });
  });
});
