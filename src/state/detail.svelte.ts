/** The function open in the detail view: its row, code and analysis, outcome, and standalone program. */
import type { Subscription } from 'dexie';
import { loadSegments, observeDetail, type FunctionDetail } from '../adapters/storage/queries.ts';
import { composeProgram } from '../core/extract/composeProgram.ts';
import type { Services } from '../app/services.ts';

export class DetailState {
  #detail = $state.raw<FunctionDetail | null>(null);
  #program = $state<string | null>(null);
  #id: string | null = null;
  #subscription: Subscription | null = null;

  constructor(private readonly services: Services) {}

  get detail(): FunctionDetail | null {
    return this.#detail;
  }

  /** The program that ran (or, for functions that did not run, the one that would). */
  get program(): string | null {
    return this.#program;
  }

  show(id: string | null): void {
    if (id === this.#id) return;
    this.#id = id;
    this.#subscription?.unsubscribe();
    this.#detail = null;
    this.#program = null;
    if (!id) return;
    this.#subscription = observeDetail(this.services.db, id).subscribe({
      next: (detail) => {
        if (this.#id !== id) return;
        this.#detail = detail ?? null;
        void this.#loadProgram(id, detail);
      },
    });
  }

  async #loadProgram(id: string, detail: FunctionDetail | undefined): Promise<void> {
    const ran = detail?.outcome?.program ?? detail?.source?.program ?? null;
    if (ran !== null || !detail?.source?.fn.program) {
      this.#program = ran;
      return;
    }
    const segments = await loadSegments(this.services.db, detail.row.projectId, detail.row.path);
    if (this.#id === id) this.#program = segments ? composeProgram(segments, detail.source.fn.program) : null;
  }
}
