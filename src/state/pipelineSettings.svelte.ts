/**
 * The LLM stages' settings the person chose, remembered in the browser (SettingsPort). They apply to new
 * runs and to "Run with <model>"; a project keeps the settings it ran with (ProjectRow.pipeline). A stored
 * value is repaired on read (the storage adapter clamps it), and what is saved is read back, so the form
 * always shows what a run would use.
 */
import type { SettingsPort } from '../core/ports.ts';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../domain/pipeline.ts';
import type { Notices } from './notices.svelte.ts';

export class PipelineSettingsState {
  #current = $state.raw<PipelineSettings>(DEFAULT_PIPELINE_SETTINGS);

  constructor(
    private readonly port: SettingsPort,
    private readonly notices: Notices,
  ) {}

  get current(): PipelineSettings {
    return this.#current;
  }

  /** Come back to the stored settings (page load); none stored: the defaults. */
  async load(): Promise<void> {
    await this.notices.guard('pipeline-settings', 'Reading your LLM stage settings', async () => {
      this.#current = (await this.port.pipelineSettings()) ?? DEFAULT_PIPELINE_SETTINGS;
    });
  }

  /** Use these from now on; they are stored (a failure to store is a notice, they still apply here). */
  async save(settings: PipelineSettings): Promise<void> {
    this.#current = settings;
    await this.notices.guard('pipeline-settings', 'Saving your LLM stage settings', async () => {
      await this.port.savePipelineSettings(settings);
      this.#current = (await this.port.pipelineSettings()) ?? settings;
    });
  }

  async reset(): Promise<void> {
    await this.save(DEFAULT_PIPELINE_SETTINGS);
  }
}
