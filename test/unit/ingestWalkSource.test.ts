/**
 * The walker against hand-built in-memory sources: what it must never touch (skipped folders, oversized
 * files), how it reports failing reads and listings, cancellation, and one read at a time.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/domain/ingest.ts';
import type { DirNode, FileNode, FolderSource, TreeNode } from '../../src/core/ingest/tree.ts';
import { ingestFolder } from '../../src/core/ingest/walk.ts';
import { collectIngest } from '../builders/fsFolder.ts';

const touched: string[] = [];

function file(name: string, content: string | Error, size?: number): FileNode {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : null;
  return {
    kind: 'file',
    name,
    size: size ?? bytes?.length ?? 0,
    read: async () => {
      touched.push(`read ${name}`);
      if (content instanceof Error) throw content;
      return bytes!;
    },
  };
}

function dir(name: string, children: TreeNode[] | Error): DirNode {
  return {
    kind: 'dir',
    name,
    list: async () => {
      touched.push(`list ${name}`);
      if (children instanceof Error) throw children;
      return children;
    },
  };
}

const source = (children: TreeNode[]): FolderSource => ({ name: 'mem', origin: 'drop', root: dir('', children) });

describe('ingestFolder on in-memory sources', () => {
  it('never lists a skipped folder and never reads an oversized or non-Python file', async () => {
    touched.length = 0;
    const result = await collectIngest(
      source([
        file('.gitignore', 'ignored/\n'),
        dir('.git', new Error('must not be listed')),
        dir('node_modules', new Error('must not be listed')),
        dir('ignored', new Error('must not be listed')),
        file('huge.py', new Error('must not be read'), MAX_FILE_BYTES + 1),
        file('huge', new Error('must not be read'), MAX_FILE_BYTES + 1),
        file('notes.txt', new Error('must not be read')),
        file('ok.py', 'x = 1\n'),
      ]),
    );
    expect(touched).toEqual(['list ', 'read .gitignore', 'read ok.py']);
    expect(result.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['.git', 'vcs'],
      ['.gitignore', 'not_python'],
      ['huge', 'not_python'],
      ['huge.py', 'too_large'],
      ['ignored', 'gitignored'],
      ['node_modules', 'node_modules'],
      ['notes.txt', 'not_python'],
    ]);
  });

  it('turns failing reads and listings into skips, telling unsupported zip entries apart by code', async () => {
    const unsupported = Object.assign(new Error('encrypted zip entry'), { code: 'zip_unsupported' });
    const { skipped, accepted } = await collectIngest(
      source([
        file('denied.py', new Error('EACCES: permission denied')),
        file('locked.py', unsupported),
        dir('gone', new Error('NotFoundError: folder was moved')),
        file('fine.py', 'x = 1\n'),
      ]),
    );
    expect(accepted.map((f) => f.path)).toEqual(['fine.py']);
    expect(skipped).toEqual([
      { path: 'denied.py', isDir: false, reason: 'unreadable', detail: 'EACCES: permission denied' },
      { path: 'gone', isDir: true, reason: 'unreadable', detail: 'NotFoundError: folder was moved' },
      { path: 'locked.py', isDir: false, reason: 'zip_unsupported', detail: 'encrypted zip entry' },
    ]);
  });

  it('lists an unreadable .gitignore as such and walks on without its rules', async () => {
    const { skipped, accepted } = await collectIngest(
      source([file('.gitignore', new Error('read failed')), file('a.py', 'x = 1\n')]),
    );
    expect(accepted.map((f) => f.path)).toEqual(['a.py']);
    expect(skipped).toEqual([
      { path: '.gitignore', isDir: false, reason: 'unreadable', detail: 'read failed (its rules were not applied)' },
    ]);
  });

  it('walks the root even when its name is a skip name, and takes the size from the bytes', async () => {
    const root: FolderSource = { name: 'venv', origin: 'drop', root: dir('venv', [file('a.py', 'x = 1\n', 2)]) };
    const { accepted } = await collectIngest(root);
    expect(accepted).toMatchObject([{ path: 'a.py', size: 6 }]);
  });

  it('reads one file at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (name: string): FileNode => ({
      kind: 'file',
      name,
      size: 1,
      read: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return new TextEncoder().encode('x\n');
      },
    });
    const { accepted } = await collectIngest(source([slow('a.py'), slow('b.py'), dir('d', [slow('c.py')])]));
    expect(accepted).toHaveLength(3);
    expect(most).toBe(1);
  });

  it('stops with an AbortError when cancelled mid-walk, whatever reason abort() was given', async () => {
    const controller = new AbortController();
    const names = Array.from({ length: 10 }, (_, i) => file(`f${i}.py`, 'x = 1\n'));
    const seen: string[] = [];
    const walk = async () => {
      for await (const event of ingestFolder(source(names), { signal: controller.signal })) {
        if (event.type === 'file') seen.push(event.file.path);
        if (seen.length === 2) controller.abort(new Error('user closed the tab'));
      }
    };
    await expect(walk()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['f0.py', 'f1.py']);
  });

  it('does not even list the root when the signal is already aborted', async () => {
    touched.length = 0;
    const events = ingestFolder(source([file('a.py', '')]), { signal: AbortSignal.abort() });
    await expect(events.next()).rejects.toBeInstanceOf(DOMException);
    expect(touched).toEqual([]);
  });
});
