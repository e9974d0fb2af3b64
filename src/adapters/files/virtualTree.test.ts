import { describe, expect, it } from 'vitest';
import type { DirNode, TreeNode } from '../../core/ingest/tree.ts';
import { buildTree, splitPath, type VirtualFile } from './virtualTree.ts';

const file = (path: string, text = path): VirtualFile => ({
  path,
  size: text.length,
  read: async () => new TextEncoder().encode(text),
});

/** Every path in the tree, folders with a trailing '/', in listing order. */
async function paths(dir: DirNode, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const node of await dir.list()) {
    if (node.kind === 'dir') out.push(`${prefix}${node.name}/`, ...(await paths(node, `${prefix}${node.name}/`)));
    else out.push(prefix + node.name);
  }
  return out;
}

describe('splitPath', () => {
  it.each([
    ['a/b/c.py', ['a', 'b', 'c.py']],
    ['/a//b/./c.py', ['a', 'b', 'c.py']],
    ['win\\dir\\x.py', ['win', 'dir', 'x.py']],
    ['a/../../up.py', ['up.py']],
    ['dir/', ['dir']],
  ])('%j → %j', (path, segments) => expect(splitPath(path)).toEqual(segments));
});

describe('buildTree', () => {
  it('nests files under folders created on the way, plus explicit empty folders', async () => {
    const root = buildTree([file('a.py'), file('pkg/sub/b.py'), file('pkg/c.py')], ['empty/', 'pkg/sub/']);
    expect(await paths(root)).toEqual(['empty/', 'pkg/', 'pkg/sub/', 'pkg/sub/b.py', 'pkg/c.py', 'a.py']);
  });

  it('keeps the first of two entries on one path, and a file that blocks a folder', async () => {
    const root = buildTree([file('x.py', 'first'), file('./x.py', 'second'), file('f'), file('f/inside.py')]);
    expect(await paths(root)).toEqual(['x.py', 'f']);
    const [x] = (await root.list()) as TreeNode[];
    expect(x?.kind === 'file' && new TextDecoder().decode(await x.read())).toBe('first');
  });

  it('returns a fresh array per listing, so a caller sorting it cannot reorder the tree', async () => {
    const root = buildTree([file('b.py'), file('a.py')]);
    (await root.list()).reverse();
    expect((await root.list()).map((n) => n.name)).toEqual(['b.py', 'a.py']);
  });
});
