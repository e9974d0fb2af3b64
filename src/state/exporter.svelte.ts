/**
 * Download of a project's JSONL. Chunks are read page by page and become Blob parts (the browser may keep
 * them on disk); no single string ever holds the whole file.
 */
import { exportFileName, exportJsonl, type ExportSummary } from '../core/export/exportJsonl.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { Services } from '../app/services.ts';

export class Exporter {
  #busy = $state(false);
  #summary = $state<ExportSummary | null>(null);
  #error = $state<string | null>(null);

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

  async download(project: ProjectRow): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      const parts: BlobPart[] = [];
      this.#summary = await exportJsonl(this.services.store, project, (chunk) => void parts.push(chunk));
      const url = URL.createObjectURL(new Blob(parts, { type: 'application/jsonl' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(project.name, new Date());
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.#error = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#busy = false;
    }
  }
}
