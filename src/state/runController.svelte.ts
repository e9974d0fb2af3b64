/**
 * Starts, resumes and cancels runs. One run at a time per project across tabs (Web Locks): a second tab
 * that opens a running project watches it instead of running it twice.
 */
import type { FolderSource } from '../core/ingest/tree.ts';
import { newProject, runProject } from '../core/run/naturalRun.ts';
import { isAbortError } from '../domain/errors.ts';
import type { Services } from '../app/services.ts';

export class RunController {
  #running = $state<string | null>(null);
  #elsewhere = $state<string | null>(null);
  #abort: AbortController | null = null;

  constructor(private readonly services: Services) {}

  /** Id of the project this tab is running, if any. */
  get running(): string | null {
    return this.#running;
  }

  /** Id of a project another tab is running (this tab shows its progress without running it). */
  get runningElsewhere(): string | null {
    return this.#elsewhere;
  }

  async start(source: FolderSource): Promise<string> {
    const project = newProject(crypto.randomUUID(), source, Date.now());
    await this.services.store.createProject(project);
    void this.#run(project.id, source);
    return project.id;
  }

  /** Resume a project: after a reload, a pause, or a fault the user has dealt with (a run starts fresh workers). */
  resume(projectId: string): void {
    if (this.#running === projectId) return;
    void this.#run(projectId);
  }

  cancel(): void {
    this.#abort?.abort();
  }

  async #run(projectId: string, source?: FolderSource): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    const work = async () => {
      this.#running = projectId;
      const session = this.services.pythonSession();
      try {
        const { python, recheck } = session;
        await runProject({ storage: this.services.store, python, recheck }, projectId, abort.signal, source);
      } catch (error) {
        if (!isAbortError(error)) throw error;
      } finally {
        session.dispose();
        if (this.#running === projectId) this.#running = null;
      }
    };
    if (!('locks' in navigator)) return work();
    await navigator.locks.request(`semiverse-run:${projectId}`, { ifAvailable: true }, async (lock) => {
      if (!lock) {
        this.#elsewhere = projectId;
        return;
      }
      await work();
    });
  }
}
