/**
 * Starts, resumes, pauses and cancels runs. Invariants:
 * - one run at a time in this tab, and per project across tabs (Web Locks): a second tab that opens a
 *   running project watches it instead of running it twice; a run that replaces another starts only once
 *   the other has stopped;
 * - a run of an LLM project takes the ready engine's client when it starts and holds it until it stops.
 *   Before the engine lets a client go (EngineState's `beforeRelease` → `release`), the run using it is
 *   paused and awaited, then resumed without a client: it finishes what needs none and waits for an engine
 *   (notice 'llm-missing'); nothing is lost, every stage skips what is stored;
 * - except a run that reads a dropped folder: pausing it would lose the folder (a resumed run has only
 *   the files stored so far), so it takes the engine when it reaches the LLM stages (the folder is read by
 *   then), the one ready at that moment;
 * - a project that waits for an engine (phase 'generating', notice 'llm-missing' or 'llm-mismatch') is run
 *   again when an engine becomes ready (`engineReady`), and when the engine changed while its run was
 *   going: runProject decides whether the engine runs the project's model (it never switches models by
 *   itself); only "Run with <model>" (`runWith`) moves a project to another model;
 * - a fault the run could not even record on its project (storage gone) reaches the person as a notice.
 */
import type { FolderSource } from '../core/ingest/tree.ts';
import { fingerprints } from '../core/pipeline/fingerprints.ts';
import type { LlmRunner } from '../core/pipeline/llmRunner.ts';
import type { LlmClient } from '../core/ports.ts';
import { newProject, rerunFrom, runProject, type RunEnd } from '../core/run/runProject.ts';
import type { DedupSettings } from '../domain/dataset.ts';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineConfig, type PipelineSettings } from '../domain/pipeline.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { Notices } from './notices.svelte.ts';
import type { PythonSession, Services } from './services.ts';

/** What a run needs from the rest of the app, read when it starts. */
export type RunLinks = {
  /** The ready engine's client, or null (natural mode, or an engine still loading). */
  llm: () => LlmClient | null;
  /** The stage settings a new LLM configuration gets (the person's saved ones). */
  settings: () => PipelineSettings;
};

type Active = {
  projectId: string;
  abort: AbortController;
  /** The run reads a dropped folder: pausing it would lose the rest of the folder. */
  reading: boolean;
  client: LlmClient | null;
  done: Promise<void>;
};

export class RunController {
  #running = $state<string | null>(null);
  #elsewhere = $state<string | null>(null);
  #runner = $state.raw<{ projectId: string; runner: LlmRunner } | null>(null);
  #active: Active | null = null;

  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
    private readonly links: RunLinks = { llm: () => null, settings: () => DEFAULT_PIPELINE_SETTINGS },
  ) {}

  /** Id of the project this tab is running, if any. */
  get running(): string | null {
    return this.#running;
  }

  /** Id of a project another tab is running (this tab shows its progress without running it). */
  get runningElsewhere(): string | null {
    return this.#elsewhere;
  }

  /** The LLM runner of this project's latest run in this page (its stats: tokens, speed), if any. */
  runnerOf(projectId: string): LlmRunner | null {
    return this.#runner?.projectId === projectId ? this.#runner.runner : null;
  }

  /** A new project from a folder: with the LLM stages when an engine is ready, else natural mode. */
  async start(source: FolderSource): Promise<string> {
    const client = this.links.llm();
    const pipeline = client ? llmConfig(client, this.links.settings(), null) : ({ mode: 'natural' } as const);
    const project = newProject(crypto.randomUUID(), source, Date.now(), pipeline);
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
    this.#active?.abort.abort();
  }

  /** Resolves once no run is in progress or queued (the last one may have started another). */
  async settled(): Promise<void> {
    while (this.#active) await this.#active.done;
  }

  /** Stop the run in progress, if any, and wait until it has stopped. */
  async pause(): Promise<void> {
    const active = this.#active;
    if (!active) return;
    active.abort.abort();
    await active.done;
  }

  /**
   * "Run with <model>": the project's LLM stages run with the ready engine's model and the saved settings.
   * Everything stored is reused: extraction, doctests, and the stage verdicts whose fingerprints still
   * match. A finished project goes back to generating; a stopped one resumes from where it stopped.
   */
  async runWith(projectId: string): Promise<void> {
    const client = this.links.llm();
    if (!client) return;
    await this.notices.guard(`run-with:${projectId}`, `Running with ${client.capabilities.model}`, async () => {
      // A run still reading its folder goes on: it picks the new configuration up when it reaches the LLM
      // stages (it has no client: it waits, and is run again at once with this engine).
      const active = this.#active;
      if (active?.projectId === projectId && !active.reading) await this.pause();
      const project = await this.services.store.project(projectId);
      if (!project) return;
      const settings = this.links.settings();
      const pipeline = llmConfig(client, settings, fingerprints(modelOf(client), settings, client.capabilities));
      const now = Date.now();
      // 'failed' stays: runProject resumes it from extraction (each stage skips what is stored), which a
      // run stopped before its doctests finished needs.
      const again = project.phase === 'done' ? { phase: 'generating' as const, startedAt: now, finishedAt: null } : {};
      await this.services.store.updateProject(projectId, { pipeline, ...again });
      if (this.#active?.projectId === projectId && this.#active.reading) return;
      void this.#run(projectId);
    });
  }

  /**
   * "Apply and find duplicates again": the project's dedup settings become `dedup`, and it runs again from
   * its dedup phase (core/run rerunFrom). Not while it runs (here or in another tab): the view offers it
   * only when idle, and a run in progress would race the settings it read when it started.
   */
  async rerunDedup(projectId: string, dedup: DedupSettings): Promise<void> {
    if (this.#busy(projectId)) return;
    await this.notices.guard(`rerun-dedup:${projectId}`, 'Finding duplicates again', async () => {
      await rerunFrom(this.services.store, projectId, 'deduplicating', { dedup });
      if (!this.#busy(projectId)) void this.#run(projectId);
    });
  }

  /**
   * EngineState's `beforeRelease`: the run holding this client pauses (its requests end), then goes on
   * without it. Resolves once the client is no longer used.
   */
  async release(client: LlmClient): Promise<void> {
    const active = this.#active;
    if (!active || active.client !== client) return;
    await this.pause();
    this.resume(active.projectId);
  }

  /**
   * EngineState's `onReady`: the open project, if it waits for an engine, is run again (read from storage:
   * what the page shows may lag behind the run that just stored why it waits).
   */
  engineReady(projectId: string | null): void {
    if (!projectId || this.#busy(projectId)) return;
    void this.notices.guard(`resume:${projectId}`, 'Going on with the run', async () => {
      const project = await this.services.store.project(projectId);
      if (project && waitsForEngine(project) && !this.#busy(projectId)) this.resume(projectId);
    });
  }

  /** Running or about to run here, or running in another tab. */
  #busy(projectId: string): boolean {
    return this.#running === projectId || this.#elsewhere === projectId || this.#active?.projectId === projectId;
  }

  #run(projectId: string, source?: FolderSource): Promise<void> {
    const previous = this.#active;
    previous?.abort.abort();
    const abort = new AbortController();
    const active: Active = { projectId, abort, reading: source !== undefined, client: null, done: Promise.resolve() };
    this.#active = active;
    active.done = (async () => {
      await previous?.done;
      if (abort.signal.aborted) return;
      try {
        await this.#locked(projectId, () => this.#work(active, source));
      } catch (error) {
        this.notices.report(`run:${projectId}`, 'The run', error);
      } finally {
        if (this.#active === active) this.#active = null;
      }
    })();
    return active.done;
  }

  async #work(active: Active, source?: FolderSource): Promise<void> {
    const { projectId, abort } = active;
    this.#running = projectId;
    let session: PythonSession | null = null;
    let end: RunEnd | null = null;
    try {
      const project = source ? undefined : await this.services.store.project(projectId);
      active.client = project?.pipeline.mode === 'llm' ? this.links.llm() : null;
      session = this.services.pythonSession();
      const { python, recheck } = session;
      const onLlmRunner = (runner: LlmRunner): void => void (this.#runner = { projectId, runner });
      // A run reading a folder takes the engine when it gets to the LLM stages; from then on it can pause.
      const llm = source
        ? (): LlmClient | null => {
            active.reading = false;
            active.client = this.links.llm();
            return active.client;
          }
        : active.client;
      const deps = { storage: this.services.store, python, recheck, llm, onLlmRunner };
      end = await runProject(deps, projectId, abort.signal, source);
      this.notices.dismiss(`run:${projectId}`);
    } catch (error) {
      this.notices.report(`run:${projectId}`, 'The run', error);
    } finally {
      session?.dispose();
      if (this.#running === projectId) this.#running = null;
    }
    // An engine became ready (or changed) while this run went on without it: look again.
    const ready = this.links.llm();
    if (end === 'waiting' && !abort.signal.aborted && ready && ready !== active.client) this.resume(projectId);
  }

  async #locked(projectId: string, work: () => Promise<void>): Promise<void> {
    if (typeof navigator === 'undefined' || !('locks' in navigator)) return work();
    await navigator.locks.request(`semiverse-run:${projectId}`, { ifAvailable: true }, async (lock) => {
      if (!lock) {
        this.#elsewhere = projectId;
        return;
      }
      if (this.#elsewhere === projectId) this.#elsewhere = null;
      await work();
    });
  }
}

/** The project's run stopped to wait for an engine (none ready, or one with another model). */
export function waitsForEngine(project: ProjectRow): boolean {
  const code = project.notice?.code;
  return project.phase === 'generating' && (code === 'llm-missing' || code === 'llm-mismatch');
}

function modelOf(client: LlmClient) {
  return { engine: client.capabilities.engine, id: client.capabilities.model };
}

function llmConfig(
  client: LlmClient,
  settings: PipelineSettings,
  prints: Extract<PipelineConfig, { mode: 'llm' }>['fingerprints'],
): PipelineConfig {
  return { mode: 'llm', model: modelOf(client), settings, fingerprints: prints };
}
