/**
 * Licences at ingest, on a folder on disk stored in IndexedDB (fake-indexeddb): licence files at any depth
 * become LicenseRows with their SPDX id and text instead of "not Python" skips, still counted as seen;
 * SPDX headers of Python files are recorded; a licence-named Python file stays code; a huge "licence" and
 * a gitignored one are skipped as before.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../adapters/storage/db.ts';
import { DexieStore } from '../../adapters/storage/dexieStore.ts';
import { emptyCounts, SCHEMA_VERSION, type ProjectRow } from '../../domain/records.ts';
import { collectIngest, folderFromDisk, makeTempDir, writeFiles } from '../../../test/builders/fsFolder.ts';
import { ingestStage } from './ingestStage.ts';
import { MAX_LICENSE_BYTES } from './licenses.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/licenses/${name}`, import.meta.url), 'utf8');
const HUMANEVAL_MIT = readFileSync(new URL('../../../data/benchmarks/LICENSE-HumanEval', import.meta.url), 'utf8');

const FILES = {
  LICENSE: HUMANEVAL_MIT,
  'vendor/lib/COPYING.txt': fixture('GPL-3.0.txt'),
  'vendor/other/LICENSE-APACHE.md': fixture('Apache-2.0.txt'),
  'docs/NOTICE': 'This product includes software developed by Example Corp.\n',
  'big/LICENSE': 'x'.repeat(MAX_LICENSE_BYTES + 1),
  'ignored/LICENSE': fixture('ISC.txt'),
  '.gitignore': 'ignored/\n',
  'pkg/license.py': 'def license_text():\n    return "MIT"\n',
  'pkg/headed.py': '# SPDX-License-Identifier: BSD-3-Clause\n\ndef f():\n    return 1\n',
  'pkg/plain.py': 'def g():\n    return 2\n',
  'README.md': '# demo\n',
};

let dir: string;
let store: DexieStore;
const projectId = 'lic';

beforeAll(async () => {
  dir = await makeTempDir('semiverse-licenses-');
  await writeFiles(dir, FILES);
  store = new DexieStore(new SemiverseDb('ingest-licenses'));
  const now = Date.now();
  const project: ProjectRow = {
    id: projectId,
    schemaVersion: SCHEMA_VERSION,
    name: 'lic',
    origin: 'picker',
    createdAt: now,
    updatedAt: now,
    phase: 'ingesting',
    ingestComplete: false,
    notice: null,
    settings: { timeoutMs: 1000 },
    pipeline: { mode: 'natural' },
    counts: emptyCounts(),
    localModules: [],
    startedAt: now,
    finishedAt: null,
  };
  await store.createProject(project);
  await ingestStage(store, projectId, folderFromDisk(dir, 'lic'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('licences at ingest', () => {
  it('stores licence files at any depth with their SPDX id and text, and SPDX headers of Python files', async () => {
    const rows = await store.licenses(projectId);
    expect(rows.map(({ path, source, spdx }) => ({ path, source, spdx }))).toEqual([
      { path: 'LICENSE', source: 'file', spdx: 'MIT' },
      { path: 'docs/NOTICE', source: 'file', spdx: null },
      { path: 'pkg/headed.py', source: 'spdx-header', spdx: 'BSD-3-Clause' },
      { path: 'vendor/lib/COPYING.txt', source: 'file', spdx: 'GPL-3.0' },
      { path: 'vendor/other/LICENSE-APACHE.md', source: 'file', spdx: 'Apache-2.0' },
    ]);
    expect(rows[0]!.text).toBe(HUMANEVAL_MIT);
    expect(rows[2]!.text).toBeNull();
  });

  it('no longer skips licence files as not Python, but counts them as seen; other rules hold', async () => {
    const project = (await store.project(projectId))!;
    const skipped = (await collectIngest(folderFromDisk(dir, 'lic'))).skipped.map((s) => `${s.path}:${s.reason}`);
    expect(skipped.sort()).toEqual([
      '.gitignore:not_python',
      'README.md:not_python',
      'big/LICENSE:not_python',
      'ignored:gitignored',
    ]);
    expect(project.counts.filesAccepted).toBe(3); // the three .py files, license.py included
    expect(project.counts.filesSkipped).toBe(4);
    expect(project.counts.seen).toBe(11); // 3 Python files + 4 skips + 4 licences
  });

  it('deleting the project deletes its licences', async () => {
    await store.deleteProject(projectId);
    expect(await store.licenses(projectId)).toEqual([]);
  });
});
