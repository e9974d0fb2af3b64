/**
 * sourcesFromDrop against fake FileSystemEntry trees that behave like Chromium's: readEntries hands out at
 * most 100 entries per call, callbacks arrive asynchronously, and a DataTransfer stops answering once the
 * drop event is over.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectIngest } from '../../../test/builders/fsFolder.ts';
import { sourcesFromDrop } from './dropped.ts';

const BATCH = 100;
let readEntriesCalls = 0;

type Fake = { name: string; isFile: boolean; isDirectory: boolean };

function fileEntry(name: string, content: BlobPart, broken = false): Fake {
  return {
    name,
    isFile: true,
    isDirectory: false,
    file: (ok: (f: File) => void, fail: (e: DOMException) => void) =>
      setTimeout(() =>
        broken
          ? fail(new DOMException('A requested file could not be found', 'NotFoundError'))
          : ok(new File([content], name)),
      ),
  } as Fake;
}

function dirEntry(name: string, children: Fake[] | 'broken'): Fake {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let next = 0;
      return {
        readEntries: (ok: (batch: Fake[]) => void, fail: (e: DOMException) => void) => {
          readEntriesCalls++;
          if (children === 'broken') return setTimeout(() => fail(new DOMException('Security error', 'SecurityError')));
          const batch = children.slice(next, next + BATCH);
          next += batch.length;
          setTimeout(() => ok(batch));
        },
      };
    },
  } as Fake;
}

/** A DataTransfer whose items, like a real one, refuse to answer once the drop handler has returned. */
function drop(items: { entry?: Fake | null; file?: File }[], files: File[] = []) {
  let live = true;
  const guard = <T>(value: T) => {
    if (!live) throw new Error('DataTransfer used after the drop event');
    return value;
  };
  const dt = {
    items: items.map((item) => ({
      kind: 'file',
      webkitGetAsEntry: () => guard(item.entry ?? null),
      getAsFile: () => guard(item.file ?? null),
    })),
    files,
  } as unknown as DataTransfer;
  const promise = sourcesFromDrop(dt);
  live = false;
  return promise;
}

function zipOf(files: Record<string, string>): Blob {
  const script = [
    'import io, json, sys, zipfile',
    'buffer = io.BytesIO()',
    'with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:',
    '    for name, text in json.loads(sys.argv[1]).items():',
    '        z.writestr(name, text)',
    'sys.stdout.buffer.write(buffer.getvalue())',
  ].join('\n');
  return new Blob([new Uint8Array(execFileSync('python3', ['-c', script, JSON.stringify(files)]))]);
}

describe('sourcesFromDrop', () => {
  it('walks a dropped folder, calling readEntries until it comes back empty', async () => {
    const many = Array.from({ length: 250 }, (_, i) => fileEntry(`m${String(i).padStart(3, '0')}.py`, `x = ${i}\n`));
    const root = dirEntry('proj', [fileEntry('a.py', 'a = 1\n'), dirEntry('many', many), dirEntry('.git', 'broken')]);
    readEntriesCalls = 0;
    const source = await drop([{ entry: root }]);
    expect(source).toMatchObject({ name: 'proj', origin: 'drop' });
    const { accepted, skipped } = await collectIngest(source);
    expect(accepted).toHaveLength(251);
    expect(accepted.at(-1)).toMatchObject({ path: 'many/m249.py', text: 'x = 249\n' });
    expect(skipped).toEqual([{ path: '.git', isDir: true, reason: 'vcs' }]);
    // proj: one batch + the empty one; many: 100 + 100 + 50 + the empty one; .git: never listed.
    expect(readEntriesCalls).toBe(2 + 4);
  });

  it('lists a file it cannot open, and a folder it cannot list, as unreadable', async () => {
    const root = dirEntry('proj', [
      fileEntry('gone.py', '', true),
      dirEntry('locked', 'broken'),
      fileEntry('ok.py', 'x = 1\n'),
    ]);
    const { accepted, skipped } = await collectIngest(await drop([{ entry: root }]));
    expect(accepted.map((f) => f.path)).toEqual(['ok.py']);
    expect(skipped).toEqual([
      { path: 'gone.py', isDir: false, reason: 'unreadable', detail: 'A requested file could not be found' },
      { path: 'locked', isDir: true, reason: 'unreadable', detail: 'Security error' },
    ]);
  });

  it('holds several dropped things under one root named after the first', async () => {
    const source = await drop([
      { entry: fileEntry('b.py', 'b = 2\n') },
      { entry: dirEntry('pkg', [fileEntry('c.py', 'c = 3\n')]) },
    ]);
    expect(source).toMatchObject({ name: 'b.py', origin: 'drop' });
    expect((await collectIngest(source)).accepted.map((f) => f.path)).toEqual(['b.py', 'pkg/c.py']);
  });

  it('falls back to the Files of a synthetic drop when there are no entries', async () => {
    const source = await drop([
      { entry: null, file: new File(['x = 1\n'], 'one.py') },
      { entry: null, file: new File(['y = 2\n'], 'two.py') },
    ]);
    expect(source.name).toBe('one.py');
    expect((await collectIngest(source)).accepted.map((f) => [f.path, f.text])).toEqual([
      ['one.py', 'x = 1\n'],
      ['two.py', 'y = 2\n'],
    ]);
  });

  it('falls back to dataTransfer.files when there are no items', async () => {
    const source = await drop([], [new File(['x = 1\n'], 'only.py')]);
    expect((await collectIngest(source)).accepted.map((f) => f.path)).toEqual(['only.py']);
  });

  it.each([
    ['as an entry', (zip: Blob) => ({ entry: fileEntry('proj.zip', zip) })],
    ['as a plain File', (zip: Blob) => ({ entry: null, file: new File([zip], 'proj.zip') })],
  ])('opens a single dropped .zip %s as a zip source', async (_, item) => {
    const source = await drop([item(zipOf({ 'proj/a.py': 'a = 1\n', 'proj/sub/b.py': 'b = 2\n' }))]);
    expect(source).toMatchObject({ name: 'proj', origin: 'zip' });
    expect((await collectIngest(source)).accepted.map((f) => f.path)).toEqual(['a.py', 'sub/b.py']);
  });

  it('fails with a typed error when nothing usable was dropped', async () => {
    const dt = { items: [{ kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null }], files: [] };
    await expect(sourcesFromDrop(dt as unknown as DataTransfer)).rejects.toMatchObject({
      name: 'SourceError',
      code: 'nothing_dropped',
    });
  });
});
