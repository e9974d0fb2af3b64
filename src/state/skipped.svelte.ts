/** What ingest skipped and which files did not parse, for the open project (reloaded as counts change). */
import { loadFailedFiles, loadSkipped } from '../adapters/storage/queries.ts';
import type { SkippedPath } from '../domain/ingest.ts';
import type { FileRow, ProjectRow } from '../domain/records.ts';
import type { Services } from '../app/services.ts';

export class SkippedState {
  #skipped = $state.raw<SkippedPath[]>([]);
  #failed = $state.raw<Pick<FileRow, 'path' | 'error'>[]>([]);
  #key = '';

  constructor(private readonly services: Services) {}

  get skipped(): SkippedPath[] {
    return this.#skipped;
  }

  get failed(): Pick<FileRow, 'path' | 'error'>[] {
    return this.#failed;
  }

  follow(project: ProjectRow | null): void {
    const key = project ? `${project.id}:${project.counts.filesSkipped}:${project.counts.filesFailed}` : '';
    if (key === this.#key) return;
    this.#key = key;
    if (!project) {
      this.#skipped = [];
      this.#failed = [];
      return;
    }
    void Promise.all([loadSkipped(this.services.db, project.id), loadFailedFiles(this.services.db, project.id)]).then(
      ([skipped, failed]) => {
        if (this.#key !== key) return;
        this.#skipped = skipped;
        this.#failed = failed;
      },
    );
  }
}
