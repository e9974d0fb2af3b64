/** The function open in the detail view: its row, analysis and outcome, its source and standalone program. */
import type { Subscription } from 'dexie';
import { loadFileCode, observeDetail, type FunctionDetail } from '../adapters/storage/queries.ts';
import { composeProgram, functionSource } from '../core/extract/composeProgram.ts';
import { decide } from '../core/extract/toRows.ts';
import type { FunctionRow } from '../domain/records.ts';
import type { RunOutcome } from '../domain/verify.ts';
import type { Services } from '../app/services.ts';

export class DetailState {
  #detail = $state.raw<FunctionDetail | null>(null);
  #source = $state<string | null>(null);
  #program = $state<string | null>(null);
  #key: string | null = null;
  #subscription: Subscription | null = null;

  constructor(private readonly services: Services) {}

  get detail(): FunctionDetail | null {
    return this.#detail;
  }

  /** What happened: the stored outcome of a run, or the verdict that needed no run. */
  get outcome(): RunOutcome | null {
    const detail = this.#detail;
    if (!detail) return null;
    return detail.ran?.outcome ?? (detail.fn ? decide(detail.fn) : null);
  }

  /** The function's own code, from the stored file. */
  get source(): string | null {
    return this.#source;
  }

  /** The program that ran (or, for functions that did not run, the one that would). */
  get program(): string | null {
    return this.#program;
  }

  show(projectId: string | null, row: FunctionRow | null): void {
    const key = projectId && row ? row.id : null;
    if (key === this.#key) return;
    this.#key = key;
    this.#subscription?.unsubscribe();
    this.#detail = null;
    this.#source = null;
    this.#program = null;
    if (!projectId || !row) return;
    this.#subscription = observeDetail(this.services.db, projectId, row).subscribe({
      next: (detail) => {
        if (this.#key !== key) return;
        this.#detail = detail;
        void this.#loadCode(key, projectId, detail);
      },
    });
  }

  async #loadCode(key: string | null, projectId: string, detail: FunctionDetail): Promise<void> {
    const code = await loadFileCode(this.services.db, projectId, detail.row.path);
    if (this.#key !== key || !code) return;
    const fn = detail.fn;
    this.#source = fn ? functionSource(code.text, fn) : null;
    const composed = fn?.program && code.segments ? composeProgram(code.text, code.segments, fn.program) : null;
    this.#program = detail.ran?.program ?? composed;
  }
}
