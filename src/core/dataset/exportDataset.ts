/**
 * Export a project's dataset: every sample (samples.ts), judged by its stored screening and the person's
 * choices (choices.ts), redacted where they chose so, written in each chosen format (formats.ts) to the
 * train or validation file of its source file's side (split.ts). Invariants:
 * - one pass over storage, a page at a time: memory holds one page and its lines, never a whole file (the
 *   sink turns chunks into Blob parts or zip entries as they come);
 * - every sample goes to the same side in every format, and to no file at all when it is dropped: the
 *   report counts every sample left out, by reason;
 * - a file is opened on its first line, so a split or format that got no sample leaves no empty file;
 * - the export decides nothing from memory of an earlier screening: a sample whose stored screening is
 *   missing or stale is dropped as `unscreened` (see choices.ts) unless every choice is "keep".
 */
import type { Finding, Sample } from '../../domain/dataset.ts';
import type { ProjectRow } from '../../domain/records.ts';
import type { StoragePort } from '../ports.ts';
import { DEFAULT_SCREEN_CHOICES, DROP_WHY, verdict, type DropWhy, type ScreenChoices } from './choices.ts';
import { dataFilePath, type DatasetFile } from './datasetInfo.ts';
import { findingsSummary, formatLine, redactedRecord, withResponse, type DatasetFormat } from './formats.ts';
import { ALL_SAMPLES, originalCode, projectSamples, type SampleChoice } from './samples.ts';
import { DEFAULT_SPLIT_SEED, splitOf, type Split } from './split.ts';

export type DatasetOptions = SampleChoice &
  ScreenChoices & {
    formats: DatasetFormat[];
    /** The system prompt of the chat formats (and Alpaca's `system`); "" for none. */
    system: string;
    /** The share of source files whose samples go to validation; 0: no split (one train file per format). */
    validation: number;
    splitSeed: string;
  };

export const DEFAULT_DATASET_OPTIONS: DatasetOptions = {
  ...ALL_SAMPLES,
  ...DEFAULT_SCREEN_CHOICES,
  formats: ['raw', 'messages'],
  system: '',
  validation: 0,
  splitSeed: DEFAULT_SPLIT_SEED,
};

/** One file of the export, written chunk by chunk (a Blob's parts, a zip entry). */
export type FileSink = {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
};

/** Opens the export's files, by path relative to the dataset's folder (`raw/train.jsonl`). */
export type DatasetSink = { open(path: string): FileSink };

/**
 * Masking secrets and personal data (core/screen): a sample's findings where its text is now, and the
 * sample with them masked. Needed only when a choice is "redact".
 */
export type Redaction = {
  screen(sample: Sample): Finding[];
  redact(sample: Sample, findings: readonly Finding[]): Sample;
};

/** What the screens found in the samples the export looked at, and what became of them. */
export type ScreenTally = {
  /** Per benchmark: samples matching it, of which dropped; and the tasks matched. */
  benchmark: Record<string, { samples: number; dropped: number; tasks: string[] }>;
  /** Per rule: findings, and the samples holding one. */
  secrets: Record<string, { findings: number; samples: number }>;
  pii: Record<string, { findings: number; samples: number }>;
  duplicateInstructions: number;
};

export type SampleOrigin = 'natural' | 'llm' | 'imported';

export type DatasetReport = {
  /** Samples written (each in every chosen format). */
  lines: number;
  natural: number;
  llm: number;
  imported: number;
  /** Natural functions that passed but have no instruction: not samples. */
  withoutInstruction: number;
  /** Natural functions that passed but copy another function (core/dedup): left out, the one kept stands for them. */
  copies: number;
  /** Samples left out, by where they came from and why. */
  dropped: Record<SampleOrigin, Partial<Record<DropWhy, number>>>;
  redacted: number;
  splits: Record<Split, number>;
  files: DatasetFile[];
  tally: ScreenTally;
  /** The Pythons that verified the samples written, as they report themselves. */
  runtimes: string[];
  /** Samples written per oldest Python that parses them ("none": no version from 3.8 to 3.14 does). */
  pythonVersions: Record<string, number>;
  /** The response of LLM samples. */
  response: 'solution' | 'original';
};

export async function exportDataset(
  storage: StoragePort,
  project: ProjectRow,
  options: DatasetOptions,
  sink: DatasetSink,
  redaction: Redaction | null,
  signal?: AbortSignal,
): Promise<DatasetReport> {
  if ((options.secrets === 'redact' || options.pii === 'redact') && !redaction)
    throw new Error('exportDataset: redacting needs the screens');
  const report = emptyReport(options.response);
  const system = options.system.trim() === '' ? null : options.system;
  const files = new Map<string, { sink: FileSink; file: DatasetFile }>();
  const runtimes = new Set<string>();
  // Samples are read as screened (with the verified solution); the person's response is swapped in after.
  const reading: SampleChoice = { ...options, response: 'solution' };
  try {
    for await (const page of projectSamples(storage, project, reading, signal)) {
      report.withoutInstruction += page.withoutInstruction;
      report.copies += page.copies;
      const rows = await storage.findings(
        project.id,
        page.samples.map((s) => s.id),
      );
      const chunks = new Map<string, string[]>();
      page.samples.forEach((sample, i) => {
        const row = rows[i];
        const judged = verdict(sample, row, options);
        tally(report.tally, row?.findings ?? [], judged.keep ? null : judged.why);
        if (!judged.keep) {
          const dropped = report.dropped[originOf(sample, page.imported)];
          dropped[judged.why] = (dropped[judged.why] ?? 0) + 1;
          return;
        }
        const redacted = judged.redact.length > 0;
        const out = redacted ? redactSample(sample, options, redaction!) : withResponse(sample, options.response);
        if (redacted) report.redacted += 1;
        const split = splitOf(sample.path, options.validation, options.splitSeed);
        const pythonVersion = row?.pythonVersion ?? null;
        const context = { system, pythonVersion, findings: findingsSummary(row?.findings ?? [], redacted) };
        for (const format of options.formats) {
          const path = dataFilePath(format, split);
          const lines = chunks.get(path) ?? [];
          lines.push(JSON.stringify(formatLine(format, out, context)));
          chunks.set(path, lines);
          const file = files.get(path)?.file ?? { path, format, split, lines: 0 };
          file.lines += 1;
          if (!files.has(path)) files.set(path, { sink: sink.open(path), file });
        }
        count(report, sample, split, pythonVersion, page.imported);
        const runtime = (sample.record['verification'] as { runtime?: unknown } | undefined)?.runtime;
        if (typeof runtime === 'string') runtimes.add(runtime);
      });
      for (const [path, lines] of chunks) await files.get(path)!.sink.write(lines.join('\n') + '\n');
    }
    for (const { sink: file } of files.values()) await file.close();
  } catch (error) {
    // The caller drops the archive or the Blob; closing what is open lets a zip writer let go of its streams.
    for (const { sink: file } of files.values()) await file.close().catch(() => undefined);
    throw error;
  }
  report.files = [...files.values()].map(({ file }) => file);
  report.runtimes = [...runtimes].sort();
  return report;
}

/**
 * The sample as exported, with secrets and personal data masked where the person chose "redact". The
 * screens run again on the exact text written (the stored findings decided only that there is something
 * to mask: their positions are those of the screened solution), and on the original code an LLM sample's
 * raw line carries.
 */
function redactSample(sample: Sample, options: DatasetOptions, redaction: Redaction): Sample {
  const kinds = new Set<Finding['kind']>([
    ...(options.secrets === 'redact' ? (['secret'] as const) : []),
    ...(options.pii === 'redact' ? (['pii'] as const) : []),
  ]);
  const mask = (s: Sample): Sample => {
    const found = redaction.screen(s).filter((f) => kinds.has(f.kind));
    return found.length === 0 ? s : redaction.redact(s, found);
  };
  const out = mask(withResponse(sample, options.response));
  const original = originalCode(sample) === null ? null : mask(withResponse(sample, 'original')).response;
  return { ...out, record: redactedRecord(out, original) };
}

function emptyReport(response: 'solution' | 'original'): DatasetReport {
  return {
    lines: 0,
    natural: 0,
    llm: 0,
    imported: 0,
    withoutInstruction: 0,
    copies: 0,
    dropped: { natural: {}, llm: {}, imported: {} },
    redacted: 0,
    splits: { train: 0, validation: 0 },
    files: [],
    tally: { benchmark: {}, secrets: {}, pii: {}, duplicateInstructions: 0 },
    runtimes: [],
    pythonVersions: {},
    response,
  };
}

function count(
  report: DatasetReport,
  sample: Sample,
  split: Split,
  pythonVersion: string | null,
  imported: boolean,
): void {
  report.lines += 1;
  report.splits[split] += 1;
  report[originOf(sample, imported)] += 1;
  const version = pythonVersion ?? 'none';
  report.pythonVersions[version] = (report.pythonVersions[version] ?? 0) + 1;
}

function originOf(sample: Sample, imported: boolean): SampleOrigin {
  return imported ? 'imported' : sample.method === 'natural-doctest' ? 'natural' : 'llm';
}

/** Samples left out, whatever their origin, by reason, the reasons in DROP_WHY's order. */
export function droppedTotal(report: DatasetReport): Partial<Record<DropWhy, number>> {
  const total: Partial<Record<DropWhy, number>> = {};
  for (const why of Object.keys(DROP_WHY) as DropWhy[])
    for (const byWhy of Object.values(report.dropped))
      if (byWhy[why] !== undefined) total[why] = (total[why] ?? 0) + byWhy[why];
  return total;
}

function tally(t: ScreenTally, findings: readonly Finding[], dropped: DropWhy | null): void {
  const benchmarks = new Map<string, Set<string>>();
  const rules = { secret: new Set<string>(), pii: new Set<string>() };
  for (const f of findings) {
    if (f.kind === 'benchmark') {
      const tasks = benchmarks.get(f.benchmark) ?? new Set<string>();
      benchmarks.set(f.benchmark, tasks.add(f.taskId));
    } else if (f.kind === 'secret' || f.kind === 'pii') {
      const table = f.kind === 'secret' ? t.secrets : t.pii;
      const entry = (table[f.rule] ??= { findings: 0, samples: 0 });
      entry.findings += 1;
      if (!rules[f.kind].has(f.rule)) entry.samples += 1;
      rules[f.kind].add(f.rule);
    } else t.duplicateInstructions += 1;
  }
  for (const [benchmark, tasks] of benchmarks) {
    const entry = (t.benchmark[benchmark] ??= { samples: 0, dropped: 0, tasks: [] });
    entry.samples += 1;
    if (dropped === 'benchmark') entry.dropped += 1;
    for (const task of tasks) if (!entry.tasks.includes(task)) entry.tasks.push(task);
  }
}
