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

export type ExportSummary = { lines: number; natural: number; llm: number; withoutInstruction: number };

export async function exportJsonl(
  storage: StoragePort,
  project: ProjectRow,
  write: (chunk: string) => void | Promise<void>,
  options: ExportOptions = DEFAULT_EXPORT,
  signal?: AbortSignal,
): Promise<ExportSummary> {
  const summary: ExportSummary = { lines: 0, natural: 0, llm: 0, withoutInstruction: 0 };
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
        if (record) lines.push(JSON.stringify(record));
        else summary.withoutInstruction += 1;
      }
    summary.natural += lines.length;
    if (llm) {
      const fingerprints = llm.fingerprints!;
      for (const item of await storage.acceptedIn(project.id, page.paths, fingerprints)) {
        const record = toLlmRecord(item, project.name, llm.model, fingerprints.verify, options.response);
        if (!record) continue;
        lines.push(JSON.stringify(record));
        summary.llm += 1;
      }
    }
    if (lines.length > 0) await write(lines.join('\n') + '\n');
    summary.lines += lines.length;
    if (page.lastPath === null) return summary;
    after = page.lastPath;
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
