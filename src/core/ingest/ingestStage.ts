/**
 * Stage 1: walk the dropped folder and store every accepted file (text included: after a reload the
 * dropped files are gone, so the stored copy is what the rest of the run reads) and every skip.
 * Batches are bounded by count and bytes so a huge folder never sits in memory. Licence files and the
 * SPDX headers of source files are stored too (LicenseRow), before the batch they came with, so a stored
 * batch never lacks its licences.
 */
import type { StoragePort } from '../ports.ts';
import type { LicenseRow } from '../../domain/dataset.ts';
import type { SkippedPath } from '../../domain/ingest.ts';
import { SCHEMA_VERSION, type FileRow, type TextRow } from '../../domain/records.ts';
import { LICENSE_TEXT_CHARS, detectSpdx, spdxHeader } from './licenses.ts';
import { ingestFolder } from './walk.ts';
import type { FolderSource } from './tree.ts';

const BATCH_FILES = 200;
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_SKIPS = 1000;
/** A reload loses what is not stored yet: store at least this often while reading. */
const BATCH_MS = 1000;

export async function ingestStage(
  storage: StoragePort,
  projectId: string,
  source: FolderSource,
  signal?: AbortSignal,
): Promise<void> {
  let files: { row: FileRow; text: TextRow }[] = [];
  let skips: SkippedPath[] = [];
  let licenses: LicenseRow[] = [];
  let bytes = 0;
  let seen = 0;
  let flushedAt = Date.now();
  const flush = async () => {
    await storage.saveLicenses(licenses);
    if (files.length > 0 || skips.length > 0) await storage.saveIngestBatch(projectId, files, skips, seen);
    files = [];
    skips = [];
    licenses = [];
    bytes = 0;
    flushedAt = Date.now();
  };
  try {
    for await (const event of ingestFolder(source, signal ? { signal } : {})) {
      if (event.type === 'progress') {
        seen = event.seen;
        continue;
      }
      seen += 1;
      if (event.type === 'file') {
        const { path, size, sha256, text } = event.file;
        files.push({
          row: {
            projectId,
            path,
            schemaVersion: SCHEMA_VERSION,
            size,
            sha256,
            state: 'pending',
            error: null,
            segments: null,
            modules: [],
            functions: [],
          },
          text: { projectId, path, sha256, text },
        });
        bytes += text.length;
        const spdx = spdxHeader(text);
        if (spdx) licenses.push(licenseRow(projectId, path, 'spdx-header', spdx, null));
      } else if (event.type === 'license') {
        const { path, text } = event.license;
        licenses.push(licenseRow(projectId, path, 'file', detectSpdx(text), text.slice(0, LICENSE_TEXT_CHARS)));
        bytes += Math.min(text.length, LICENSE_TEXT_CHARS);
      } else {
        skips.push(event.skipped);
      }
      const full = files.length >= BATCH_FILES || bytes >= BATCH_BYTES || skips.length >= BATCH_SKIPS;
      if (full || Date.now() - flushedAt >= BATCH_MS) await flush();
    }
  } finally {
    // Also when cancelled: what was read is kept, and a resumed run goes on with it.
    await flush();
  }
}

function licenseRow(
  projectId: string,
  path: string,
  source: LicenseRow['source'],
  spdx: string | null,
  text: string | null,
): LicenseRow {
  return { projectId, path, schemaVersion: SCHEMA_VERSION, source, spdx, text };
}

/** Top-level names a file of the project could import it by: every folder and module name on its path. */
export function localModuleNames(paths: readonly string[]): string[] {
  const names = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    const file = parts.pop()!;
    for (const part of parts) if (/^[A-Za-z_]\w*$/.test(part)) names.add(part);
    const stem = file.replace(/\.pyw?$/, '');
    if (/^[A-Za-z_]\w*$/.test(stem)) names.add(stem);
  }
  return [...names].sort();
}
