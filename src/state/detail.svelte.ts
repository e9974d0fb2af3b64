/**
 * The function open in the detail view: its row, analysis and outcome, its source and standalone program,
 * and its LLM pipeline record (every stage's verdict and output, every LLM exchange), re-read whenever
 * where the function stands changes (`showPipeline`'s key).
 */
import { composeProgram, functionSource } from '../core/extract/composeProgram.ts';
import { decide } from '../core/extract/toRows.ts';
import type { LlmStage } from '../domain/pipeline.ts';
import type { FunctionRow } from '../domain/records.ts';
import type { RunOutcome } from '../domain/verify.ts';
import type { FunctionDetail } from '../domain/views.ts';
import type { Notices } from './notices.svelte.ts';
import { pipelineRecord, type PipelineRecord } from './pipelineView.ts';
import type { Services } from './services.ts';

export class DetailState {
  #detail = $state.raw<FunctionDetail | null>(null);
  #pipeline = $state.raw<PipelineRecord | null>(null);
  #pipelineKey: string | null = null;
  #source = $state<string | null>(null);
  #program = $state<string | null>(null);
  #key: string | null = null;
  #subscription: { unsubscribe(): void } | null = null;

  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
  ) {}

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

  /** The function's LLM pipeline record; null when it has none (natural mode, not reached yet). */
  get pipeline(): PipelineRecord | null {
    return this.#pipeline;
  }

  /**
   * Follow a function's LLM pipeline record. `key` says where it stands (its verdict): the record is read
   * again when it changes. `current` are the project's fingerprints: other verdicts are stale.
   */
  showPipeline(functionId: string | null, current: Record<LlmStage, string> | null, key: string): void {
    const full = functionId === null ? null : `${functionId}|${key}|${current ? Object.values(current).join(',') : ''}`;
    if (full === this.#pipelineKey) return;
    const sameFunction = functionId !== null && this.#pipelineKey?.startsWith(`${functionId}|`);
    this.#pipelineKey = full;
    if (!sameFunction) this.#pipeline = null;
    if (functionId === null) return;
    void this.notices.guard('pipeline-detail', 'Reading the function’s LLM record', async () => {
      const detail = await this.services.reads.pipelineDetail(functionId);
      if (this.#pipelineKey !== full) return;
      this.#pipeline = detail.stages.length > 0 || detail.calls.length > 0 ? pipelineRecord(detail, current) : null;
    });
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
    this.#subscription = this.services.reads.detail(projectId, row).subscribe({
      next: (detail) => {
        if (this.#key !== key) return;
        this.#detail = detail;
        void this.notices.guard('detail', 'Reading the function’s code', () => this.#loadCode(key, projectId, detail));
      },
      error: (error) => this.notices.report('detail', 'Reading the function', error),
    });
  }

  async #loadCode(key: string | null, projectId: string, detail: FunctionDetail): Promise<void> {
    const code = await this.services.reads.fileCode(projectId, detail.row.path);
    if (this.#key !== key || !code) return;
    const fn = detail.fn;
    this.#source = fn ? functionSource(code.text, fn) : null;
    const composed = fn?.program && code.segments ? composeProgram(code.text, code.segments, fn.program) : null;
    this.#program = detail.ran?.program ?? composed;
  }
}
