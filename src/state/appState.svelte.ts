/**
 * Everything the UI reads and does, in one place handed down through context. Sub-states follow the open
 * project; nothing here touches the DOM except the exporter's download link. Failures anywhere become
 * notices (notices.svelte.ts), shown at the top of the page.
 *
 * The engine and the run are linked (engineRuns.ts): a run takes the engine's ready client when it starts;
 * before the engine lets a client go, the run using it pauses; when a client becomes ready, the open
 * project goes on if it was waiting for an engine.
 */
import { DetailState } from './detail.svelte.ts';
import { DuplicatesState } from './duplicates.svelte.ts';
import type { EngineState } from './engine.svelte.ts';
import { linkEngineAndRuns } from './engineRuns.ts';
import { EngineTrial } from './engineTrial.svelte.ts';
import { Exporter } from './exporter.svelte.ts';
import { FunctionsState } from './functions.svelte.ts';
import { Importer } from './importer.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { PipelineState } from './pipeline.svelte.ts';
import { PipelineSettingsState } from './pipelineSettings.svelte.ts';
import type { RunController } from './runController.svelte.ts';
import type { Services } from './services.ts';
import { SkippedState } from './skipped.svelte.ts';
import { unreadableText } from './unreadableText.ts';
import { Workspace } from './workspace.svelte.ts';

export class AppState {
  readonly notices = new Notices();
  readonly run: RunController;
  readonly workspace: Workspace;
  readonly functions: FunctionsState;
  readonly detail: DetailState;
  readonly skipped: SkippedState;
  readonly duplicates: DuplicatesState;
  readonly exporter: Exporter;
  readonly importer: Importer;
  readonly engine: EngineState;
  readonly trial = new EngineTrial();
  readonly pipeline: PipelineState;
  readonly pipelineSettings: PipelineSettingsState;

  constructor(services: Services) {
    const notices = this.notices;
    this.pipelineSettings = new PipelineSettingsState(services.settings, notices);
    ({ engine: this.engine, run: this.run } = linkEngineAndRuns(services, notices, {
      settings: () => this.pipelineSettings.current,
      current: () => this.workspace.current?.id ?? null,
      beforeRelease: () => this.trial.stop(),
    }));
    this.workspace = new Workspace(services, this.run, notices);
    this.pipeline = new PipelineState(services, notices);
    this.functions = new FunctionsState(services, notices, this.pipeline);
    this.detail = new DetailState(services, notices);
    this.skipped = new SkippedState(services, notices);
    this.duplicates = new DuplicatesState(services, notices, () => this.functions.rows);
    this.exporter = new Exporter(services, notices);
    this.importer = new Importer(services, notices, {
      open: (id) => this.workspace.select(id),
      resume: (id) => this.workspace.resume(id),
    });
    // Settings first: a run restored with the engine takes them.
    void this.pipelineSettings.load().then(() => this.engine.restore());
    services.reads.unreadable().subscribe({
      next: (rows) => (rows.length > 0 ? notices.show('unreadable', unreadableText(rows)) : undefined),
    });
    $effect.root(() => {
      $effect(() => {
        const project = this.workspace.current;
        this.functions.follow(project);
        this.skipped.follow(project);
        this.duplicates.follow(project);
        this.exporter.follow(project);
        this.importer.follow(project);
      });
      $effect(() => {
        const project = this.workspace.current;
        const id = project?.id ?? null;
        const running = id !== null && (this.run.running === id || this.run.runningElsewhere === id);
        this.pipeline.follow(project, running, id ? this.run.runnerOf(id) : null);
      });
      $effect(() => this.detail.show(this.functions.projectId, this.functions.selected));
      $effect(() => {
        const project = this.workspace.current;
        const selected = this.functions.selected;
        const prints = project?.pipeline.mode === 'llm' ? project.pipeline.fingerprints : null;
        const verdict = selected ? this.pipeline.verdicts.get(selected.id) : undefined;
        this.detail.showPipeline(selected?.id ?? null, prints, JSON.stringify(verdict ?? null));
      });
    });
  }
}
