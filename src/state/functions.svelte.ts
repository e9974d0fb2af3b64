/**
 * The function table's rows for the open project, filtered by outcome and by a text query. Rows are loaded
 * whole (about 200 bytes each, 20,000 rows ≈ 4 MB) and refreshed at most every REFRESH_MS while a run
 * writes, immediately when it ends.
 */
import { loadFunctionRows } from '../adapters/storage/queries.ts';
import type { FunctionRow, ProjectRow } from '../domain/records.ts';
import type { FunctionStatus } from '../domain/verify.ts';
import type { Services } from '../app/services.ts';

/** Re-reading 50,000 rows takes ~0.3 s of main thread: not more often than this during a run. */
const REFRESH_MS = 4000;

export type StatusFilter = FunctionStatus | 'all';

export class FunctionsState {
  #rows = $state.raw<FunctionRow[]>([]);
  #filter = $state<StatusFilter>('all');
  #query = $state('');
  #selected = $state.raw<FunctionRow | null>(null);
  #projectId: string | null = null;
  #loadedAt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  readonly visible = $derived.by(() => {
    const query = this.#query.trim().toLowerCase();
    return this.#rows.filter(
      (row) =>
        (this.#filter === 'all' || row.status === this.#filter) &&
        (query === '' || row.qualname.toLowerCase().includes(query) || row.path.toLowerCase().includes(query)),
    );
  });

  constructor(private readonly services: Services) {}

  get filter(): StatusFilter {
    return this.#filter;
  }

  get query(): string {
    return this.#query;
  }

  get selected(): FunctionRow | null {
    return this.#selected;
  }

  get projectId(): string | null {
    return this.#projectId;
  }

  get total(): number {
    return this.#rows.length;
  }

  setFilter(filter: StatusFilter): void {
    this.#filter = filter;
  }

  setQuery(query: string): void {
    this.#query = query;
  }

  select(row: FunctionRow | null): void {
    this.#selected = row;
  }

  /** Called whenever the open project (or its counters) change. */
  follow(project: ProjectRow | null): void {
    if (project?.id !== this.#projectId) {
      this.#projectId = project?.id ?? null;
      this.#rows = [];
      this.#selected = null;
      this.#loadedAt = 0;
    }
    if (!project) return;
    const settled = project.phase === 'done' || project.phase === 'failed';
    const wait = settled ? 0 : Math.max(0, this.#loadedAt + REFRESH_MS - Date.now());
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#load(project.id), wait);
  }

  async #load(projectId: string): Promise<void> {
    this.#timer = null;
    this.#loadedAt = Date.now();
    const rows = await loadFunctionRows(this.services.db, projectId);
    if (projectId !== this.#projectId) return;
    rows.sort((a, b) => (a.path === b.path ? a.lineno - b.lineno : a.path < b.path ? -1 : 1));
    this.#rows = rows;
  }
}
