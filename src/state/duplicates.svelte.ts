/**
 * The Duplicates view of the open project: its dedup rows (core/dedup), grouped into clusters with why each
 * copy is one (duplicateClusters.ts). Read when the view is first shown, and again whenever the project's
 * dedup phase starts or finishes while it is followed; a failure to read them is a notice.
 */
import { DEFAULT_DEDUP_SETTINGS, type DedupRow } from '../domain/dataset.ts';
import type { FunctionRow, ProjectRow } from '../domain/records.ts';
import { duplicateClusters, type DuplicateCluster } from './duplicateClusters.ts';
import type { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

export class DuplicatesState {
  #rows = $state.raw<DedupRow[]>([]);
  #threshold = $state(DEFAULT_DEDUP_SETTINGS.threshold);
  /** The key being read, if any. */
  #reading = $state<string | null>(null);
  #project: ProjectRow | null = null;
  /** What the rows were read for (project and dedup run); they are read again when it changes. */
  #key: string | null = null;
  #shown = false;

  readonly clusters: DuplicateCluster[] = $derived.by(() => {
    const rows = this.#rows;
    if (rows.length === 0) return [];
    const ids = new Set(rows.map((row) => row.functionId));
    const endLines = new Map<string, number>();
    for (const fn of this.functionRows()) if (ids.has(fn.id)) endLines.set(fn.id, fn.endLine);
    return duplicateClusters(rows, this.#threshold, endLines);
  });

  /** `functionRows`: the function table's rows of the open project (they give each function's last line). */
  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
    private readonly functionRows: () => readonly FunctionRow[] = () => [],
  ) {}

  /** True while the rows are being read and none are shown yet. */
  get loading(): boolean {
    return this.#reading !== null && this.#rows.length === 0;
  }

  /** Called whenever the open project (or its counters) change. */
  follow(project: ProjectRow | null): void {
    if (project?.id !== this.#project?.id) {
      this.#rows = [];
      this.#key = null;
    }
    this.#project = project;
    if (this.#shown) void this.#load();
  }

  /** The view was opened: read the rows if they are not read yet. */
  async show(): Promise<void> {
    this.#shown = true;
    await this.#load();
  }

  async #load(): Promise<void> {
    const project = this.#project;
    if (!project) return;
    const key = `${project.id}:${project.dedup?.finishedAt}`;
    if (key === this.#key) return;
    this.#key = key;
    this.#reading = key;
    try {
      const rows = await this.services.reads.dedupRows(project.id);
      this.notices.dismiss('duplicates');
      if (this.#key !== key) return;
      this.#rows = rows;
      this.#threshold = project.dedup?.settings.threshold ?? DEFAULT_DEDUP_SETTINGS.threshold;
    } catch (error) {
      this.notices.report('duplicates', 'Reading the clusters of duplicates', error);
      // Read again on the next change of the project, or the next time the view is shown.
      if (this.#key === key) this.#key = null;
    } finally {
      if (this.#reading === key) this.#reading = null;
    }
  }
}
