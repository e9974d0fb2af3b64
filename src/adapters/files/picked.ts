/**
 * A folder chosen with `<input type=file webkitdirectory>`. The browser hands over every file at once, each
 * with `webkitRelativePath` = "<picked folder>/<path inside it>"; .git and node_modules included, which is
 * why the walker, not this adapter, decides what to skip. Files are read only when the walker asks.
 */
import type { FolderSource } from '../../core/ingest/tree.ts';
import { buildTree, splitPath, type VirtualFile } from './virtualTree.ts';

/** Name for files that came without a folder (an input without webkitdirectory). */
const LOOSE_FILES_NAME = 'picked files';

// `webkitRelativePath ?? ''` below: the DOM types promise a string, but Node's File and some synthetic
// Files carry no such property at all.
export function folderFromFileList(files: FileList | readonly File[]): FolderSource {
  const all = Array.from(files);
  const firstPath = all.length > 0 ? splitPath(all[0]!.webkitRelativePath ?? '') : [];
  const name = firstPath.length > 1 ? firstPath[0]! : LOOSE_FILES_NAME;
  const entries: VirtualFile[] = all.map((file) => ({
    path: pathInsideFolder(file),
    size: file.size,
    read: () => readFile(file),
  }));
  return { name, origin: 'picker', root: buildTree(entries) };
}

/** Strips the picked folder's own name; a file without a relative path sits at the root. */
function pathInsideFolder(file: File): string {
  const segments = splitPath(file.webkitRelativePath ?? '');
  return segments.length > 1 ? segments.slice(1).join('/') : file.name;
}

export async function readFile(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
