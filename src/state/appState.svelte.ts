/**
 * Everything the UI reads and does, in one place handed down through context. Sub-states follow the open
 * project; nothing here touches the DOM except the exporter's download link.
 */
import type { Services } from '../app/services.ts';
import { DetailState } from './detail.svelte.ts';
import { EngineState } from './engine.svelte.ts';
import { EngineTrial } from './engineTrial.svelte.ts';
import { Exporter } from './exporter.svelte.ts';
import { FunctionsState } from './functions.svelte.ts';
import { RunController } from './runController.svelte.ts';
import { SkippedState } from './skipped.svelte.ts';
import { Workspace } from './workspace.svelte.ts';

export class AppState {
  readonly run: RunController;
  readonly workspace: Workspace;
  readonly functions: FunctionsState;
  readonly detail: DetailState;
  readonly skipped: SkippedState;
  readonly exporter: Exporter;
  readonly engine: EngineState;
  readonly trial = new EngineTrial();

  constructor(services: Services) {
    this.run = new RunController(services);
    this.workspace = new Workspace(services, this.run);
    this.functions = new FunctionsState(services);
    this.detail = new DetailState(services);
    this.skipped = new SkippedState(services);
    this.exporter = new Exporter(services);
    this.engine = new EngineState({ models: services.models, servers: services.servers, settings: services.settings });
    void this.engine.restore();
    $effect.root(() => {
      $effect(() => {
        const project = this.workspace.current;
        this.functions.follow(project);
        this.skipped.follow(project);
      });
      $effect(() => this.detail.show(this.functions.projectId, this.functions.selected));
    });
  }
}
