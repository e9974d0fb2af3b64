/**
 * The function table's rows for the open project, filtered by outcome, by a text query, and in LLM mode by
 * where each function stands in the LLM stages (pipelineView.ts: verdict, stage, judge score). Rows are loaded
 * whole (about 200 bytes each, 20,000 rows ≈ 4 MB) and refreshed at most every REFRESH_MS while a run
 * writes, immediately when it ends.
 */
import type { FunctionRow, ProjectRow } from '../domain/records.ts';
import type { FunctionStatus } from '../domain/verify.ts';
import type { Notices } from './notices.svelte.ts';
import type { PipelineState } from './pipeline.svelte.ts';
import { NO_LLM_FILTER, isFiltering, matchesLlm, type LlmFilter } from './pipelineView.ts';
import type { Services } from './services.ts';

/** Re-reading 50,000 rows takes ~0.3 s of main thread: not more often than this during a run. */
const REFRESH_MS = 4000;

export type StatusFilter = FunctionStatus | 'all';

export class FunctionsState {
  #rows = $state.raw<FunctionRow[]>([]);
  #filter = $state<StatusFilter>('all');
  #query = $state('');
  #llm = $state.raw<LlmFilter>(NO_LLM_FILTER);
  #selected = $state.raw<FunctionRow | null>(null);
  #projectId: string | null = null;
  #loadedAt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  readonly visible = $derived.by(() => {
    const query = this.#query.trim().toLowerCase();
    const llm = this.#llm;
    const verdicts = isFiltering(llm) ? this.pipeline?.verdicts : undefined;
    const scores = llm.minScore !== null ? this.pipeline?.scores : undefined;
    return this.#rows.filter(
      (row) =>
        (this.#filter === 'all' || row.status === this.#filter) &&
        (query === '' || row.qualname.toLowerCase().includes(query) || row.path.toLowerCase().includes(query)) &&
        (!verdicts || matchesLlm(llm, verdicts.get(row.id), scores?.get(row.id))),
    );
  });

  /** `pipeline`: where each function stands in the LLM stages, for the LLM filters. */
  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
    private readonly pipeline: PipelineState | null = null,
  ) {}

  get llmFilter(): LlmFilter {
    return this.#llm;
  }

  setLlmFilter(filter: LlmFilter): void {
    this.#llm = filter;
    this.pipeline?.needScores(filter.minScore !== null);
  }

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

  /** Every function of the open project, unfiltered, in path and line order. */
  get rows(): FunctionRow[] {
    return this.#rows;
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
      this.setLlmFilter(NO_LLM_FILTER);
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
    let rows: FunctionRow[];
    try {
      rows = await this.services.reads.functionRows(projectId);
      this.notices.dismiss('functions');
    } catch (error) {
      this.notices.report('functions', 'Reading the list of functions', error);
      return;
    }
    if (projectId !== this.#projectId) return;
    rows.sort((a, b) => (a.path === b.path ? a.lineno - b.lineno : a.path < b.path ? -1 : 1));
    this.#rows = rows;
  }
}
