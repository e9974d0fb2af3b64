/**
 * A FolderSource tree built from a flat list of paths: what a picked folder (`webkitRelativePath`) and a zip
 * (central directory) both give us. The tree holds only names, sizes and read functions, never bytes.
 *
 * Paths are normalised ('\' is a separator, '.' and empty segments vanish, '..' climbs but never above the
 * root). When two entries land on one path, the first one wins: a tree cannot hold both, and real sources
 * (a file system, a zip written by a normal tool) never produce that.
 */
import type { DirNode, FileNode, TreeNode } from '../../core/ingest/tree.ts';

export type VirtualFile = {
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
};

type MutableDir = { name: string; children: Map<string, MutableDir | FileNode> };

/** `dirs` adds folders that may hold no file (a zip's directory entries). */
export function buildTree(files: readonly VirtualFile[], dirs: readonly string[] = []): DirNode {
  const root: MutableDir = { name: '', children: new Map() };
  for (const dir of dirs) folderAt(root, splitPath(dir));
  for (const file of files) {
    const segments = splitPath(file.path);
    const name = segments.pop();
    if (name === undefined) continue;
    const parent = folderAt(root, segments);
    if (parent && !parent.children.has(name)) {
      parent.children.set(name, { kind: 'file', name, size: file.size, read: file.read });
    }
  }
  return freeze(root);
}

export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const segment of path.split(/[/\\]/)) {
    if (segment === '..') out.pop();
    else if (segment !== '' && segment !== '.') out.push(segment);
  }
  return out;
}

/** The folder at `segments`, created as needed; null when a file already sits on the way. */
function folderAt(root: MutableDir, segments: readonly string[]): MutableDir | null {
  let dir = root;
  for (const name of segments) {
    const next = dir.children.get(name) ?? { name, children: new Map() };
    if ('kind' in next) return null;
    dir.children.set(name, next);
    dir = next;
  }
  return dir;
}

function freeze(dir: MutableDir): DirNode {
  const children: TreeNode[] = [...dir.children.values()].map((c) => ('kind' in c ? c : freeze(c)));
  return { kind: 'dir', name: dir.name, list: async () => [...children] };
}
