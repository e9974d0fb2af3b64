/**
 * Projects and which one is open. On load it opens the most recent project and, if a reload interrupted
 * its run, resumes it (a project in its LLM stages waits for its engine, then goes on by itself).
 */
import type { ProjectRow } from '../domain/records.ts';
import type { Notices } from './notices.svelte.ts';
import type { RunController } from './runController.svelte.ts';
import type { FolderInput, Services } from './services.ts';

const UNFINISHED = new Set(['ingesting', 'extracting', 'deduplicating', 'verifying', 'generating', 'screening']);

export class Workspace {
  #projects = $state.raw<ProjectRow[]>([]);
  #selectedId = $state<string | null>(null);
  #loaded = $state(false);

  readonly current = $derived(this.#projects.find((p) => p.id === this.#selectedId) ?? null);

  constructor(
    private readonly services: Services,
    private readonly run: RunController,
    private readonly notices: Notices,
  ) {
    services.reads.projects().subscribe({
      next: (rows) => {
        this.#projects = rows;
        this.notices.dismiss('projects');
        if (!this.#loaded) this.#firstLoad(rows);
      },
      error: (error: unknown) => {
        this.notices.report('projects', 'Reading your stored projects', error);
        this.#loaded = true;
      },
    });
  }

  get projects(): ProjectRow[] {
    return this.#projects;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  select(id: string | null): void {
    this.#selectedId = id;
  }

  /** A folder the person gave the page: read it and start a project on it. */
  async open(input: FolderInput): Promise<void> {
    await this.notices.guard('open', 'Starting a project', async () => {
      const source = await this.services.readFolder(input);
      this.#selectedId = await this.run.start(source);
    });
  }

  async remove(id: string): Promise<void> {
    await this.notices.guard(`remove:${id}`, 'Deleting the project', async () => {
      if (this.run.running === id) this.run.cancel();
      await this.services.store.deleteProject(id);
      if (this.#selectedId === id) this.#selectedId = this.#projects.find((p) => p.id !== id)?.id ?? null;
    });
  }

  resume(id: string): void {
    this.run.resume(id);
  }

  #firstLoad(rows: ProjectRow[]): void {
    this.#loaded = true;
    const latest = rows[0];
    if (!latest) return;
    this.#selectedId = latest.id;
    if (UNFINISHED.has(latest.phase)) this.run.resume(latest.id);
  }
}
