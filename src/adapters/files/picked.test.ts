import { describe, expect, it } from 'vitest';
import { collectIngest } from '../../../test/builders/fsFolder.ts';
import { folderFromFileList } from './picked.ts';

/** What `<input webkitdirectory>` gives: Files whose webkitRelativePath starts with the picked folder. */
function picked(relativePath: string, text: string): File {
  const file = new File([text], relativePath.split('/').pop()!);
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

describe('folderFromFileList', () => {
  it('names the source after the picked folder and strips it from every path', async () => {
    const source = folderFromFileList([
      picked('proj/a.py', 'x = 1\n'),
      picked('proj/pkg/b.py', 'y = 2\n'),
      picked('proj/.git/config', '[core]\n'),
      picked('proj/notes.txt', 'hi\n'),
    ]);
    expect(source).toMatchObject({ name: 'proj', origin: 'picker' });
    const { accepted, skipped } = await collectIngest(source);
    expect(accepted.map((f) => [f.path, f.text, f.size])).toEqual([
      ['a.py', 'x = 1\n', 6],
      ['pkg/b.py', 'y = 2\n', 6],
    ]);
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([
      ['.git', 'vcs'],
      ['notes.txt', 'not_python'],
    ]);
  });

  it('puts files without a relative path at the root of a "picked files" source', async () => {
    const source = folderFromFileList([new File(['z = 3\n'], 'solo.py')]);
    expect(source.name).toBe('picked files');
    expect((await collectIngest(source)).accepted.map((f) => f.path)).toEqual(['solo.py']);
  });

  it('gives an empty source for an empty selection', async () => {
    const source = folderFromFileList([]);
    expect(await source.root.list()).toEqual([]);
  });
});
