/** The function open in the detail view: its row, analysis and outcome, its source and standalone program. */
import type { Subscription } from 'dexie';
import { loadFileCode, observeDetail, type FunctionDetail } from '../adapters/storage/queries.ts';
import { composeProgram, functionSource } from '../core/extract/composeProgram.ts';
import type { Services } from '../app/services.ts';

export class DetailState {
  #detail = $state.raw<FunctionDetail | null>(null);
  #source = $state<string | null>(null);
  #program = $state<string | null>(null);
  #id: string | null = null;
  #subscription: Subscription | null = null;

  constructor(private readonly services: Services) {}

  get detail(): FunctionDetail | null {
    return this.#detail;
  }

  /** The function's own code, from the stored file. */
  get source(): string | null {
    return this.#source;
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
    this.#source = null;
    this.#program = null;
    if (!id) return;
    this.#subscription = observeDetail(this.services.db, id).subscribe({
      next: (detail) => {
        if (this.#id !== id) return;
        this.#detail = detail ?? null;
        if (detail) void this.#loadCode(id, detail);
      },
    });
  }

  async #loadCode(id: string, detail: FunctionDetail): Promise<void> {
    const code = await loadFileCode(this.services.db, detail.row.projectId, detail.row.path);
    if (this.#id !== id || !code) return;
    const fn = detail.source?.fn;
    this.#source = fn ? functionSource(code.text, fn) : null;
    const ran = detail.outcome?.program ?? detail.source?.program ?? null;
    this.#program = ran ?? (fn?.program && code.segments ? composeProgram(code.text, code.segments, fn.program) : null);
  }
}
