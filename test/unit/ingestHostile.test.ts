/**
 * Ingest over the hostile folder: every ingest-level expectation of the manifest holds, nothing else is
 * emitted, and the manifest's Python-level claims (error lines, passing doctests) are true for CPython.
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectIngest, folderFromDisk, makeTempDir, type IngestResult } from '../builders/fsFolder.ts';
import { MANY_FILES, writeHostileFolder, type HostileManifest } from '../builders/hostileFolder.ts';

describe('ingest over the hostile folder', () => {
  let dir: string;
  let manifest: HostileManifest;
  let result: IngestResult;

  beforeAll(async () => {
    dir = await makeTempDir('semiverse-hostile-');
    manifest = await writeHostileFolder(dir);
    result = await collectIngest(folderFromDisk(dir, 'hostile'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('skips exactly the manifest skips, each with its reason', () => {
    const expected = manifest.entries
      .filter((e) => e.expect.startsWith('skip:'))
      .map((e) => ({ path: e.path, reason: e.expect.slice('skip:'.length), isDir: 'isDir' in e && e.isDir }));
    const actual = result.skipped.map((s) => ({ path: s.path, reason: s.reason, isDir: s.isDir }));
    expect(actual).toEqual(expected);
    expect(actual).toHaveLength(manifest.skippedCount);
  });

  it('accepts exactly the other manifest paths, in walk order', () => {
    const expected = manifest.entries.filter((e) => !e.expect.startsWith('skip:')).map((e) => e.path);
    expect(result.accepted.map((f) => f.path)).toEqual(expected);
    expect(result.accepted).toHaveLength(manifest.acceptedCount);
    expect(manifest.acceptedCount).toBe(MANY_FILES + 7);
  });

  it('names the .gitignore line behind each gitignored skip and the size of the huge file', () => {
    const detail = (path: string) => result.skipped.find((s) => s.path === path)?.detail;
    expect(detail('build')).toBe('.gitignore:1:build/');
    expect(detail('run.log')).toBe('.gitignore:2:*.log');
    expect(detail('.venv')).toBeUndefined();
    expect(Number(detail('big/huge.py')?.split(' ')[0])).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('reports progress through the 5,000 files', () => {
    // 5,025 entries seen: 15 at the top, 5,000 in many/, 10 in the other kept folders.
    const every200 = Array.from({ length: Math.floor((MANY_FILES + 25) / 200) }, (_, i) => (i + 1) * 200);
    expect(result.progress).toEqual(every200);
  });

  it("matches CPython's own verdicts on the files later stages must handle", () => {
    const syntax = manifest.entries.flatMap((e) => (e.expect === 'syntax_error' ? [e] : []));
    const script = [
      'import sys, json',
      'out = []',
      'for path in sys.argv[1:]:',
      '    try:',
      '        compile(open(path, "rb").read(), path, "exec"); out.append(None)',
      '    except SyntaxError as e:',
      '        out.append([type(e).__name__, e.lineno])',
      'print(json.dumps(out))',
    ].join('\n');
    const verdicts = JSON.parse(
      execFileSync('python3', ['-c', script, ...syntax.map((e) => e.path)], { cwd: dir, encoding: 'utf8' }),
    );
    expect(verdicts).toEqual(syntax.map((e) => [e.error, e.line]));
    const passing = ['good/ok.py', 'deep/nested_ok.py', 'many/m0000.py', `many/m${MANY_FILES - 1}.py`];
    expect(() => execFileSync('python3', ['-m', 'doctest', ...passing], { cwd: dir, stdio: 'pipe' })).not.toThrow();
  });
});
