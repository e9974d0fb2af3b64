/**
 * The two downloads, as Blobs built while the export runs (lib/blobSink.ts, lib/zipWriter.ts), so memory
 * holds a page of lines and the compressor's window, never the file: the whole dataset as a zip (every
 * chosen format and split, the card, dataset_info.json, under one folder), and one raw JSONL file (what
 * "Download JSONL" has always written, now with the person's choices applied).
 */
import type { ProjectRow } from '../../domain/records.ts';
import { BlobSink } from '../../lib/blobSink.ts';
import { ZipWriter } from '../../lib/zipWriter.ts';
import type { StoragePort } from '../ports.ts';
import { exportDataset, type DatasetOptions, type DatasetReport, type Redaction } from './exportDataset.ts';
import { datasetFolderName, writeDataset } from './writeDataset.ts';

export type Download = { blob: Blob; fileName: string; report: DatasetReport };

export async function datasetZip(
  storage: StoragePort,
  project: ProjectRow,
  options: DatasetOptions,
  redaction: Redaction | null,
  now: Date,
  signal?: AbortSignal,
): Promise<Download> {
  const folder = datasetFolderName(project.name, now);
  const zip = new ZipWriter({ modified: now });
  const report = await writeDataset(
    storage,
    project,
    options,
    { open: (path) => zip.open(`${folder}/${path}`) },
    redaction,
    now,
    signal,
  );
  return { blob: await zip.finish(), fileName: `${folder}.zip`, report };
}

/** One JSONL file of raw lines, every sample in it (no split), as `<folder>.jsonl`. */
export async function rawJsonl(
  storage: StoragePort,
  project: ProjectRow,
  options: DatasetOptions,
  redaction: Redaction | null,
  now: Date,
  signal?: AbortSignal,
): Promise<Download> {
  const out = new BlobSink();
  const file = {
    write: async (chunk: string) => out.push(chunk),
    close: async () => undefined,
  };
  const single: DatasetOptions = { ...options, formats: ['raw'], validation: 0 };
  const report = await exportDataset(storage, project, single, { open: () => file }, redaction, signal);
  return { blob: out.blob('application/jsonl'), fileName: `${datasetFolderName(project.name, now)}.jsonl`, report };
}
