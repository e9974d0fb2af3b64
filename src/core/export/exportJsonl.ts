/**
 * Stream a project's verified samples as JSONL, one chunk per page of files read from storage: memory holds
 * one page at a time, never the whole file (the caller turns chunks into Blob parts or a file stream).
 */
import type { StoragePort } from '../ports.ts';
import type { ProjectRow } from '../../domain/records.ts';
import { toJsonlRecord } from './jsonlRecord.ts';
import { toLlmRecord } from './llmRecord.ts';

/** Files per page: a page holds their function summaries and the analysis of files with passes. */
const PAGE_FILES = 200;

/**
 * Which samples go in: natural ones (docstring + code + doctests) and/or the LLM pipeline's (instruction
 * written from the code, verified solution); an LLM sample's response is the verified solution (Semi-
 * Instruct's "proper format") or the original program, whose tests pass on both.
 */
export type ExportOptions = { natural: boolean; llm: boolean; response: 'solution' | 'original' };
export const DEFAULT_EXPORT: ExportOptions = { natural: true, llm: true, response: 'solution' };

/** `imported`: lines imported from an earlier export (core/import), written back as they were. */
export type ExportSummary = {
  lines: number;
  natural: number;
  llm: number;
  imported: number;
  withoutInstruction: number;
  /** Natural samples left out as copies of another function (core/dedup): their representative's stands. */
  duplicates?: number;
};

/** Imported lines per page (a few KB each). */
const PAGE_IMPORTED = 500;

export async function exportJsonl(
  storage: StoragePort,
  project: ProjectRow,
  write: (chunk: string) => void | Promise<void>,
  options: ExportOptions = DEFAULT_EXPORT,
  signal?: AbortSignal,
): Promise<ExportSummary> {
  const summary: ExportSummary = { lines: 0, natural: 0, llm: 0, imported: 0, withoutInstruction: 0 };
  // Ids written from the project's own samples: an imported line with one of them is left to the project's.
  const own = new Set<string>();
  const config = project.pipeline;
  const llm = options.llm && config.mode === 'llm' && config.fingerprints ? config : null;
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const page = await storage.passedPage(project.id, after, PAGE_FILES);
    const lines: string[] = [];
    if (options.natural)
      for (const item of page.items) {
        const record = toJsonlRecord(item, project.name);
        if (record) {
          lines.push(JSON.stringify(record));
          own.add(record.id);
        } else summary.withoutInstruction += 1;
      }
    summary.natural += lines.length;
    if (options.natural && page.duplicates > 0) summary.duplicates = (summary.duplicates ?? 0) + page.duplicates;
    if (llm) {
      const fingerprints = llm.fingerprints!;
      for (const item of await storage.acceptedIn(project.id, page.paths, fingerprints)) {
        const record = toLlmRecord(item, project.name, llm.model, fingerprints.verify, options.response);
        if (!record) continue;
        lines.push(JSON.stringify(record));
        own.add(record.id);
        summary.llm += 1;
      }
    }
    if (lines.length > 0) await write(lines.join('\n') + '\n');
    summary.lines += lines.length;
    if (page.lastPath === null) break;
    after = page.lastPath;
  }
  await exportImported(storage, project, write, options, own, summary, signal);
  return summary;
}

/** The project's imported lines (in id order), as they were imported, by method as the options choose. */
async function exportImported(
  storage: StoragePort,
  project: ProjectRow,
  write: (chunk: string) => void | Promise<void>,
  options: ExportOptions,
  own: ReadonlySet<string>,
  summary: ExportSummary,
  signal?: AbortSignal,
): Promise<void> {
  for (let after: string | null = null; ;) {
    signal?.throwIfAborted();
    const page = await storage.importedPage(project.id, after, PAGE_IMPORTED);
    const lines = page.rows.flatMap(({ id, record }) => {
      const wanted = record['method'] === 'inverse-semi' ? options.llm : options.natural;
      return wanted && !own.has(id) ? [JSON.stringify(record)] : [];
    });
    if (lines.length > 0) await write(lines.join('\n') + '\n');
    summary.imported += lines.length;
    summary.lines += lines.length;
    if (page.last === null) return;
    after = page.last;
  }
}

/** `semiverse-<project>-<YYYY-MM-DD>.jsonl`, safe on every file system. */
export function exportFileName(projectName: string, date: Date): string {
  const slug =
    projectName
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'project';
  const day = date.toISOString().slice(0, 10);
  return `semiverse-${slug}-${day}.jsonl`;
}
