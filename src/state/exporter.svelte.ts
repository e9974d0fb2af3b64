/**
 * Download of a project's JSONL, with the person's choice of samples (natural ones, the LLM pipeline's, or
 * both) and of an LLM sample's response (the verified solution, or the original code: its tests pass on
 * both). Chunks are read page by page and become Blob parts (the browser may keep them on disk); no single
 * string ever holds the whole file.
 */
import {
  DEFAULT_EXPORT,
  exportFileName,
  exportJsonl,
  type ExportOptions,
  type ExportSummary,
} from '../core/export/exportJsonl.ts';
import type { ProjectRow } from '../domain/records.ts';
import { problemText } from './problemText.ts';
import type { Services } from './services.ts';

export class Exporter {
  #busy = $state(false);
  #summary = $state<ExportSummary | null>(null);
  #error = $state<string | null>(null);
  #options = $state.raw<ExportOptions>(DEFAULT_EXPORT);

  constructor(private readonly services: Services) {}

  get busy(): boolean {
    return this.#busy;
  }

  get summary(): ExportSummary | null {
    return this.#summary;
  }

  get error(): string | null {
    return this.#error;
  }

  get options(): ExportOptions {
    return this.#options;
  }

  setOptions(options: ExportOptions): void {
    this.#options = options;
    this.#summary = null;
  }

  async download(project: ProjectRow): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      const parts: BlobPart[] = [];
      const write = (chunk: string): void => void parts.push(chunk);
      this.#summary = await exportJsonl(this.services.store, project, write, this.#options);
      const url = URL.createObjectURL(new Blob(parts, { type: 'application/jsonl' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(project.name, new Date());
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      const { message, action } = problemText(error);
      this.#error = `Export failed: ${message} ${action}`;
    } finally {
      this.#busy = false;
    }
  }
}
