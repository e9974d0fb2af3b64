/**
 * Importing a JSONL exported earlier (core/import): into a new project, which then opens, or into the open
 * one. One import at a time; while it runs, its progress (at most ten updates a second: a big file reports
 * every 64 KiB); then its outcome: what it added, or the report of its bad lines (nothing was imported).
 * A storage failure (no space left) becomes a notice; a cancel is not a failure.
 */
import {
  importJsonl,
  importedName,
  type ImportProblem,
  type ImportProgress,
  type ImportTarget,
} from '../core/import/importJsonl.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

export type ImportRun = { file: string; into: string | null; progress: ImportProgress | null };

export type ImportOutcome =
  | { ok: true; file: string; project: string; added: number; same: number }
  | { ok: false; file: string; problems: ImportProblem[]; count: number; lines: number };

const PROGRESS_MS = 100;

export class Importer {
  #running = $state.raw<ImportRun | null>(null);
  #outcome = $state.raw<ImportOutcome | null>(null);
  #count = $state(0);
  #countOf: string | null = null;
  #abort: AbortController | null = null;

  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
    private readonly links: {
      /** Opens a project (the one a new import made). */
      open: (projectId: string) => void;
      /** Runs a project that waits in its screening phase (ImportResult.screen). */
      resume: (projectId: string) => void;
    },
  ) {}

  get running(): ImportRun | null {
    return this.#running;
  }

  get outcome(): ImportOutcome | null {
    return this.#outcome;
  }

  /** How many imported lines the open project holds. */
  get count(): number {
    return this.#count;
  }

  follow(project: ProjectRow | null): void {
    const id = project?.id ?? null;
    if (id === this.#countOf) return;
    this.#countOf = id;
    this.#count = 0;
    if (id) void this.#loadCount(id);
  }

  importNew(file: File): Promise<void> {
    return this.#import(file, { kind: 'new', projectId: crypto.randomUUID(), now: Date.now() }, null);
  }

  importInto(project: ProjectRow, file: File): Promise<void> {
    return this.#import(file, { kind: 'merge', projectId: project.id }, project.name);
  }

  cancel(): void {
    this.#abort?.abort();
  }

  dismiss(): void {
    this.#outcome = null;
  }

  async #import(file: File, target: ImportTarget, into: string | null): Promise<void> {
    if (this.#running) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#outcome = null;
    const run: ImportRun = { file: file.name, into, progress: null };
    this.#running = run;
    let shown = 0;
    const onProgress = (progress: ImportProgress): void => {
      const now = performance.now();
      if (now - shown < PROGRESS_MS) return;
      shown = now;
      this.#running = { ...run, progress };
    };
    try {
      const result = await importJsonl(this.services.store, file, target, { onProgress, signal: abort.signal });
      this.notices.dismiss('import');
      if (!result.ok) {
        const { problems, count, lines } = result;
        this.#outcome = { ok: false, file: file.name, problems, count, lines };
        return;
      }
      const project = into ?? importedName(file.name);
      this.#outcome = { ok: true, file: file.name, project, added: result.added, same: result.same };
      if (result.screen) this.links.resume(result.projectId);
      if (target.kind === 'new') this.links.open(result.projectId);
      else if (this.#countOf === target.projectId) await this.#loadCount(target.projectId);
    } catch (error) {
      this.notices.report('import', `Importing ${file.name}`, error);
    } finally {
      this.#running = null;
      this.#abort = null;
    }
  }

  async #loadCount(projectId: string): Promise<void> {
    try {
      const count = await this.services.reads.importedCount(projectId);
      if (this.#countOf === projectId) this.#count = count;
    } catch (error) {
      this.notices.report('imported-count', 'Counting the imported samples', error);
    }
  }
}
