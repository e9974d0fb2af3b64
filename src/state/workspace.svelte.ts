/**
 * Projects and which one is open. On load it opens the most recent project and, if a reload interrupted
 * its run, resumes it.
 */
import { observeProjects } from '../adapters/storage/queries.ts';
import type { FolderSource } from '../core/ingest/tree.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { Services } from '../app/services.ts';
import type { RunController } from './runController.svelte.ts';

const UNFINISHED = new Set(['ingesting', 'extracting', 'verifying']);

export class Workspace {
  #projects = $state.raw<ProjectRow[]>([]);
  #selectedId = $state<string | null>(null);
  #loaded = $state(false);
  #error = $state<string | null>(null);

  readonly current = $derived(this.#projects.find((p) => p.id === this.#selectedId) ?? null);

  constructor(
    private readonly services: Services,
    private readonly run: RunController,
  ) {
    observeProjects(services.db).subscribe({
      next: (rows) => {
        this.#projects = rows;
        if (!this.#loaded) this.#firstLoad(rows);
      },
      error: (error: unknown) => {
        this.#error = `Stored projects could not be read: ${error instanceof Error ? error.message : String(error)}`;
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

  get error(): string | null {
    return this.#error;
  }

  select(id: string | null): void {
    this.#selectedId = id;
  }

  async open(source: FolderSource): Promise<void> {
    this.#error = null;
    try {
      this.#selectedId = await this.run.start(source);
    } catch (error) {
      this.#error = `Could not start a project: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async remove(id: string): Promise<void> {
    if (this.run.running === id) this.run.cancel();
    await this.services.store.deleteProject(id);
    if (this.#selectedId === id) this.#selectedId = this.#projects.find((p) => p.id !== id)?.id ?? null;
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
