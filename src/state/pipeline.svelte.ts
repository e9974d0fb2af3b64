/**
 * The open project's LLM pipeline: the funnel, where each function stands, the judge's scores (only while
 * a person filters by score), how many functions are through, and the engine's speed. Stage verdicts are re-read at most every
 * REFRESH_MS while a run writes them, and at once when the run starts or ends or the configuration
 * changes; the engine's stats are sampled with each read.
 */
import { accepted, funnel, tokensPerSample } from '../core/pipeline/funnel.ts';
import type { LlmRunner, LlmStats } from '../core/pipeline/llmRunner.ts';
import type { FunnelRow, LlmStage } from '../domain/pipeline.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { Notices } from './notices.svelte.ts';
import { functionVerdicts, pendingTotal, type FunctionVerdict } from './pipelineView.ts';
import type { Services } from './services.ts';

/**
 * Reading every verdict of a project costs ~10 ms per 1,000 functions (7 small rows each); every few
 * seconds is plenty for numbers a person reads, and a slow read (a huge project) stretches the interval.
 */
const REFRESH_MS = 3000;
const SLOW_READ_FACTOR = 4;

export type LlmSpeed = {
  /** Tokens per second the engine writes: its own figure, else measured (completion tokens over busy time). */
  tokensPerSecond: number | null;
  calls: number;
  cached: number;
  tokens: number;
};

export class PipelineState {
  #rows = $state.raw<FunnelRow[] | null>(null);
  #verdicts = $state.raw<Map<string, FunctionVerdict>>(new Map());
  #scores = $state.raw<Map<string, number>>(new Map());
  #speed = $state.raw<LlmSpeed | null>(null);
  #progress = $state.raw<{ done: number; total: number } | null>(null);
  #projectId: string | null = null;
  #prints: Record<LlmStage, string> | null = null;
  #key = '';
  #live = false;
  #wantScores = false;
  #runner: LlmRunner | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastReadMs = 0;

  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
  ) {}

  /** Per stage, in order; null before the LLM stages have a configuration to count against. */
  get rows(): FunnelRow[] | null {
    return this.#rows;
  }
  get verdicts(): Map<string, FunctionVerdict> {
    return this.#verdicts;
  }
  get scores(): Map<string, number> {
    return this.#scores;
  }
  get speed(): LlmSpeed | null {
    return this.#speed;
  }
  /** Functions accepted or dropped, of all: what leaves the pending state (the run panel's bar and ETA). */
  get progress(): { done: number; total: number } | null {
    return this.#progress;
  }
  /** Samples the LLM stages accepted (with the current configuration). */
  get accepted(): number {
    return this.#rows ? accepted(this.#rows) : 0;
  }
  get tokensPerSample(): number | null {
    return this.#rows ? tokensPerSample(this.#rows) : null;
  }

  /** Called whenever the open project, its run or its runner change. */
  follow(project: ProjectRow | null, running: boolean, runner: LlmRunner | null): void {
    if ((project?.id ?? null) !== this.#projectId) this.#reset(project?.id ?? null);
    this.#runner = runner;
    const config = project?.pipeline;
    if (!project || config?.mode !== 'llm' || !config.fingerprints) {
      this.#prints = null;
      this.#rows = null;
      this.#verdicts = new Map();
      this.#progress = null;
      this.#stop();
      return;
    }
    this.#prints = config.fingerprints;
    this.#live = running && project.phase === 'generating';
    const key = `${project.phase}:${running}:${Object.values(config.fingerprints).join(',')}`;
    if (key !== this.#key) {
      this.#key = key;
      this.#stop();
      void this.refresh();
    } else if (this.#live && !this.#timer) this.#schedule();
  }

  /** Scores are read only while someone filters by them (they are in the judge's outputs, not the verdicts). */
  needScores(on: boolean): void {
    if (on === this.#wantScores) return;
    this.#wantScores = on;
    if (on) void this.refresh();
  }

  /** Read the verdicts now (and the scores, when wanted). */
  async refresh(): Promise<void> {
    const projectId = this.#projectId;
    const prints = this.#prints;
    if (!projectId || !prints) return;
    const same = (): boolean => projectId === this.#projectId && sameKeys(prints, this.#prints);
    this.#stop();
    const started = performance.now();
    await this.notices.guard('pipeline', 'Reading the progress of the LLM stages', async () => {
      const { functions, verdicts } = await this.services.reads.pipelineVerdicts(projectId);
      if (!same()) return;
      const rows = funnel(functions, verdicts, prints);
      const byFunction = functionVerdicts(functions, verdicts, prints);
      let scores = this.#scores;
      if (this.#wantScores) {
        const judged = verdicts.filter((v) => v.stage === 'judge' && v.fingerprint === prints.judge);
        scores = await this.services.scores.judgeScores(judged.map((v) => v.functionId));
        if (!same()) return;
      }
      this.#rows = rows;
      this.#verdicts = byFunction;
      this.#scores = scores;
      this.#sample(functions.length, pendingTotal(rows));
    });
    this.#lastReadMs = performance.now() - started;
    if (this.#live && projectId === this.#projectId) this.#schedule();
  }

  #sample(functions: number, pending: number): void {
    this.#progress = { done: functions - pending, total: functions };
    const stats = this.#runner?.stats;
    this.#speed = stats ? speedOf(stats) : null;
  }

  #schedule(): void {
    this.#stop();
    const wait = Math.max(REFRESH_MS, this.#lastReadMs * SLOW_READ_FACTOR);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, wait);
  }

  #stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #reset(projectId: string | null): void {
    this.#stop();
    this.#projectId = projectId;
    this.#key = '';
    this.#rows = null;
    this.#verdicts = new Map();
    this.#scores = new Map();
    this.#speed = null;
    this.#progress = null;
  }
}

function sameKeys(a: Record<LlmStage, string>, b: Record<LlmStage, string> | null): boolean {
  return b !== null && Object.entries(a).every(([stage, print]) => b[stage as LlmStage] === print);
}

export function speedOf(stats: LlmStats): LlmSpeed {
  const measured = stats.busyMs > 0 ? stats.completionTokens / (stats.busyMs / 1000) : null;
  return {
    tokensPerSecond: stats.decodeTokensPerSecond ?? measured,
    calls: stats.calls,
    cached: stats.cached,
    tokens: stats.promptTokens + stats.completionTokens,
  };
}
