/**
 * The whole dataset as one folder: the JSONL files (exportDataset.ts), the card (README.md) and
 * LLaMA-Factory's dataset_info.json, through one sink (a zip being written, in the app). The card and
 * dataset_info.json are opened first, so they come first in the archive, and written last, once the
 * export has counted what they describe.
 */
import type { ProjectRow } from '../../domain/records.ts';
import { exportFileName } from '../export/exportJsonl.ts';
import type { StoragePort } from '../ports.ts';
import { datasetCard } from './card.ts';
import { cardFacts } from './cardFacts.ts';
import { datasetInfo } from './datasetInfo.ts';
import {
  exportDataset,
  type DatasetOptions,
  type DatasetReport,
  type DatasetSink,
  type Redaction,
} from './exportDataset.ts';

export const CARD_FILE = 'README.md';
export const INFO_FILE = 'dataset_info.json';

export async function writeDataset(
  storage: StoragePort,
  project: ProjectRow,
  options: DatasetOptions,
  sink: DatasetSink,
  redaction: Redaction | null,
  exportedAt: Date,
  signal?: AbortSignal,
): Promise<DatasetReport> {
  const card = sink.open(CARD_FILE);
  const info = sink.open(INFO_FILE);
  try {
    const report = await exportDataset(storage, project, options, sink, redaction, signal);
    const system = options.system.trim() !== '';
    const entries = datasetInfo(report.files, project.name, system);
    const infoNames = Object.fromEntries(Object.entries(entries).map(([name, entry]) => [entry.file_name, name]));
    const facts = await cardFacts(storage, project);
    await card.write(datasetCard({ facts, report, options, infoNames, exportedAt }));
    await info.write(JSON.stringify(entries, null, 2) + '\n');
    return report;
  } finally {
    await Promise.all([card.close(), info.close()]);
  }
}

/** `semiverse-<project>-<YYYY-MM-DD>`: the folder inside the zip, and the zip's name without `.zip`. */
export function datasetFolderName(projectName: string, date: Date): string {
  return exportFileName(projectName, date).replace(/\.jsonl$/, '');
}
