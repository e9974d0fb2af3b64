/**
 * The words of the export: what a download wrote and what it left out, and the labels of the choices.
 * Plain functions (no runes), so they are tested in Node.
 */
import { DROP_WHY, fitsPython, type DropWhy } from '../core/dataset/choices.ts';
import { droppedTotal, type DatasetReport } from '../core/dataset/exportDataset.ts';
import type { DatasetFormat } from '../core/dataset/formats.ts';

export const FORMAT_LABELS: Record<DatasetFormat, string> = {
  raw: 'raw (every field)',
  messages: 'messages (TRL, LLaMA-Factory, Axolotl)',
  alpaca: 'Alpaca',
  sharegpt: 'ShareGPT',
};

/** "dropped 2: 1 copies a benchmark task…; 1 holds a secret…" style, shortened for the summary line. */
const SHORT_WHY: Record<DropWhy, string> = {
  unscreened: 'not screened',
  benchmark: 'benchmark copies',
  secret: 'with secrets',
  pii: 'with personal data',
  'python-version': 'needing a newer Python',
  'duplicate-instruction': 'repeated instructions',
};

/**
 * `Wrote 5 lines: 1 natural, 4 LLM.` for the JSONL; `Wrote 28 samples in 4 files (…)` for the zip; then
 * what was left out and why, and what was redacted.
 */
export function summaryText(report: DatasetReport, kind: 'jsonl' | 'zip', llm: boolean): string {
  const origins = [`${report.natural} natural`, `${report.llm} LLM`];
  if (report.imported > 0) origins.push(`${report.imported} imported`);
  const showOrigins = llm || report.imported > 0;
  let text =
    kind === 'jsonl'
      ? `Wrote ${report.lines} lines${showOrigins ? `: ${origins.join(', ')}` : ''}`
      : `Wrote ${report.lines} samples${showOrigins ? ` (${origins.join(', ')})` : ''} in ${report.files.length} file${report.files.length === 1 ? '' : 's'}` +
        (report.splits.validation > 0 ? `, train ${report.splits.train}, validation ${report.splits.validation}` : '');
  const extras: string[] = [];
  if (report.copies > 0) extras.push(`left out ${report.copies} copies of other functions (deduplication)`);
  if (report.withoutInstruction > 0)
    extras.push(`left out ${report.withoutInstruction} whose docstring is only examples (no instruction)`);
  const dropped = Object.entries(droppedTotal(report)) as [DropWhy, number][];
  if (dropped.length > 0) extras.push(`dropped ${dropped.map(([why, n]) => `${n} ${SHORT_WHY[why]}`).join(', ')}`);
  if (report.redacted > 0) extras.push(`redacted ${report.redacted}`);
  if (extras.length > 0) text += `; ${extras.join('; ')}`;
  return `${text}.`;
}

export function dropWhyText(why: DropWhy): string {
  return DROP_WHY[why];
}

/**
 * An option of the "newest Python" filter with what it keeps of the screened samples: `3.9 (keeps 40 of
 * 45)`, `any (45)`; counts per oldest Python that parses a sample (`none`: no version does).
 */
export function pythonChoiceText(version: string | null, counts: Readonly<Record<string, number>>): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (total === 0) return version ?? 'any';
  if (version === null) return `any (${total})`;
  const kept = Object.entries(counts).reduce(
    (sum, [needed, n]) => sum + (fitsPython(needed === 'none' ? null : needed, version) ? n : 0),
    0,
  );
  return `${version} (keeps ${kept} of ${total})`;
}
