/**
 * Real folders on disk for ingest tests: write one from a path → content map, expose it as a FolderSource
 * (the same port the browser adapters implement), and run the walker to completion.
 */
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AcceptedFile, IngestEvent, LicenseFile, SkippedPath } from '../../src/domain/ingest.ts';
import type { DirNode, FolderSource, TreeNode } from '../../src/core/ingest/tree.ts';
import { ingestFolder } from '../../src/core/ingest/walk.ts';

/** Files to write: '/'-separated relative path → text (written as UTF-8) or exact bytes. */
export type FileMap = Record<string, string | Uint8Array>;

export async function makeTempDir(prefix = 'semiverse-ingest-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeFiles(dir: string, files: FileMap): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, ...path.split('/'));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

/** Symlinks and other special files are left out: the browser ways in never show them either. */
export function folderFromDisk(dir: string, name = basename(dir)): FolderSource {
  return { name, origin: 'picker', root: dirNode(dir, name) };
}

function dirNode(dir: string, name: string): DirNode {
  return {
    kind: 'dir',
    name,
    async list() {
      const nodes: TreeNode[] = [];
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) nodes.push(dirNode(full, entry.name));
        else if (entry.isFile()) {
          const { size } = await stat(full);
          nodes.push({ kind: 'file', name: entry.name, size, read: async () => new Uint8Array(await readFile(full)) });
        }
      }
      return nodes;
    },
  };
}

export type IngestResult = {
  accepted: AcceptedFile[];
  skipped: SkippedPath[];
  licenses: LicenseFile[];
  progress: number[];
  events: IngestEvent[];
};

export async function collectIngest(source: FolderSource, signal?: AbortSignal): Promise<IngestResult> {
  const result: IngestResult = { accepted: [], skipped: [], licenses: [], progress: [], events: [] };
  for await (const event of ingestFolder(source, signal ? { signal } : {})) {
    result.events.push(event);
    if (event.type === 'file') result.accepted.push(event.file);
    else if (event.type === 'skip') result.skipped.push(event.skipped);
    else if (event.type === 'license') result.licenses.push(event.license);
    else result.progress.push(event.seen);
  }
  return result;
}
