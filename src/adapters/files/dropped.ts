/**
 * A drop onto the page. Browsers only let a drop handler touch `dataTransfer.items` while the event is being
 * dispatched, so every entry and File is taken synchronously, before this function first awaits. Folders are
 * then listed lazily through FileSystemDirectoryReader, which hands out at most 100 entries per call in
 * Chromium: we call readEntries until it returns an empty batch.
 */
import type { DirNode, FileNode, FolderSource, TreeNode } from '../../core/ingest/tree.ts';
import { SourceError } from './errors.ts';
import { readFile } from './picked.ts';
import { folderFromZip } from './zip.ts';

type Dropped = { entry: FileSystemEntry } | { file: File };

/** Name of the synthetic root when the first dropped thing has no name to lend it. */
const LOOSE_FILES_NAME = 'dropped files';

export async function sourcesFromDrop(dt: DataTransfer): Promise<FolderSource> {
  const dropped = takeDropped(dt);
  const first = dropped[0];
  if (!first) {
    throw new SourceError('nothing_dropped', 'Nothing usable was dropped: drop a folder, a .zip, or Python files.');
  }
  if (dropped.length === 1 && 'entry' in first && isDirEntry(first.entry)) {
    return { name: first.entry.name, origin: 'drop', root: dirNode(first.entry) };
  }
  if (dropped.length === 1 && nameOf(first).toLowerCase().endsWith('.zip')) {
    const file = 'file' in first ? first.file : await fileOf(first.entry);
    return folderFromZip(file, file.name);
  }
  const root: DirNode = { kind: 'dir', name: '', list: () => Promise.all(dropped.map(nodeOf)) };
  return { name: nameOf(first) || LOOSE_FILES_NAME, origin: 'drop', root };
}

/** Runs before any await (see the header). Entries when the browser gives them, else plain Files. */
function takeDropped(dt: DataTransfer): Dropped[] {
  const dropped: Dropped[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    // null for synthetic drops (tests, some extensions): those carry Files only.
    const entry = item.webkitGetAsEntry?.() ?? null;
    const file = entry ? null : item.getAsFile();
    if (entry) dropped.push({ entry });
    else if (file) dropped.push({ file });
  }
  if (dropped.length > 0) return dropped;
  return Array.from(dt.files ?? [], (file) => ({ file }));
}

function nameOf(dropped: Dropped): string {
  return 'entry' in dropped ? dropped.entry.name : dropped.file.name;
}

async function nodeOf(dropped: Dropped): Promise<TreeNode> {
  if ('file' in dropped) return fileNode(dropped.file.name, dropped.file);
  return entryNode(dropped.entry);
}

function dirNode(entry: FileSystemDirectoryEntry): DirNode {
  return { kind: 'dir', name: entry.name, list: () => listEntries(entry) };
}

async function entryNode(entry: FileSystemEntry): Promise<TreeNode> {
  if (isDirEntry(entry)) return dirNode(entry);
  try {
    return fileNode(entry.name, await fileOf(entry));
  } catch (err) {
    // The entry is listed but its File cannot be had (deleted since, no permission): the walker's read
    // of it fails and it is listed as unreadable, instead of the whole folder failing to list.
    return { kind: 'file', name: entry.name, size: 0, read: () => Promise.reject(err) };
  }
}

function fileNode(name: string, file: File): FileNode {
  return { kind: 'file', name, size: file.size, read: () => readFile(file) };
}

async function listEntries(dir: FileSystemDirectoryEntry): Promise<TreeNode[]> {
  const reader = dir.createReader();
  const nodes: TreeNode[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return nodes;
    // One batch at a time: at most 100 file() calls in flight, however large the folder.
    nodes.push(...(await Promise.all(batch.map(entryNode))));
  }
}

function isDirEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

/** Anything that is not a folder is asked for its File; an entry that is neither fails here, as unreadable. */
function fileOf(entry: FileSystemEntry): Promise<File> {
  if (!isFileEntry(entry)) return Promise.reject(new Error(`${entry.name} is neither a file nor a folder`));
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}
