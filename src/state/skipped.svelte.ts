/** What ingest skipped and which files did not parse, for the open project (reloaded as counts change). */
import type { SkippedPath } from '../domain/ingest.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { FailedFile } from '../domain/views.ts';
import type { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

export class SkippedState {
  #skipped = $state.raw<SkippedPath[]>([]);
  #failed = $state.raw<FailedFile[]>([]);
  #key = '';

  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
  ) {}

  get skipped(): SkippedPath[] {
    return this.#skipped;
  }

  get failed(): FailedFile[] {
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
    const { reads } = this.services;
    void this.notices.guard('skipped', 'Reading the list of skipped files', async () => {
      const [skipped, failed] = await Promise.all([reads.skipped(project.id), reads.failedFiles(project.id)]);
      if (this.#key !== key) return;
      this.#skipped = skipped;
      this.#failed = failed;
    });
  }
}
