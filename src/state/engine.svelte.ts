/**
 * The LLM engine the user chose and where it stands: none (natural mode), a catalog model on this GPU
 * through web-llm, or an OpenAI-compatible server. One engine at a time: choosing another disposes the
 * current client first. The choice is stored; after a reload a server reconnects, and a web-llm model that
 * is already in the browser's cache loads again (one that is not waits for the user: it is a big download).
 *
 * Handing a client over (EngineHooks): before a ready client is disposed, whoever holds it is asked to let
 * go (`beforeRelease`, awaited: the run pauses and waits for its requests to end). Meanwhile the engine
 * offers no client (status 'releasing'), so nothing new picks the old one up, and a later choice waits for
 * the release to finish, so two models are never loaded at once. Every client that becomes ready is
 * announced (`onReady`), so a project waiting for it can go on.
 */
import type { LlmClient, ModelHost, ServerConnector, SettingsPort } from '../core/ports.ts';
import { isAbortError } from '../domain/errors.ts';
import type {
  CachedModel,
  CatalogModel,
  EngineChoice,
  GpuReport,
  LlmCapabilities,
  LoadProgress,
  StorageReport,
} from '../domain/llm.ts';
import { problemOf, type Problem } from './engineProblem.ts';
import { Notices } from './notices.svelte.ts';

export type EngineStatus =
  | { state: 'none' }
  | { state: 'checking' }
  /** This browser or GPU cannot load a model at all: why, and what to do. */
  | { state: 'unavailable'; problem: Problem }
  /** A catalog model is picked and could load; `warnings` are reasons it may not go well. */
  | { state: 'idle'; model: CatalogModel; modelId: string; warnings: readonly Problem[]; cached: boolean }
  | { state: 'loading'; model: CatalogModel; modelId: string; progress: LoadProgress | null }
  | { state: 'ready'; capabilities: LlmCapabilities }
  /** The ready engine is being let go: the run that uses it is pausing, then it is disposed. */
  | { state: 'releasing'; capabilities: LlmCapabilities }
  | { state: 'failed'; problem: Problem };

export type EngineHooks = {
  /** Stop using this client; resolves when nothing uses it any more. A failure is reported, not fatal. */
  beforeRelease?: (client: LlmClient) => Promise<void>;
  /** A client is ready (loaded, connected). */
  onReady?: (client: LlmClient) => void;
};

export type EngineDeps = {
  /** Made on first use: it brings web-llm with it. */
  models: () => ModelHost;
  servers: ServerConnector;
  settings: SettingsPort;
};

export class EngineState {
  #choice = $state.raw<EngineChoice>({ kind: 'none' });
  #status = $state.raw<EngineStatus>({ state: 'none' });
  #cached = $state.raw<CachedModel[]>([]);
  #storage = $state.raw<StorageReport | null>(null);
  #gpu = $state.raw<GpuReport | null>(null);
  #client: LlmClient | null = null;
  #abort: AbortController | null = null;
  /** The release in progress (or the last one, settled): a new choice waits for it. */
  #releasing: Promise<void> = Promise.resolve();
  /** Bumped by every choice, so a slow probe or connect from an earlier one cannot overwrite the status. */
  #generation = 0;

  /** `notices` hears the failures that are not the engine's status (a choice that could not be saved...). */
  constructor(
    private readonly deps: EngineDeps,
    private readonly notices: Notices = new Notices(),
    private readonly hooks: EngineHooks = {},
  ) {}

  get choice(): EngineChoice {
    return this.#choice;
  }
  get status(): EngineStatus {
    return this.#status;
  }
  /** The ready engine for the pipeline, or null (natural mode). */
  get client(): LlmClient | null {
    return this.#status.state === 'ready' ? this.#client : null;
  }
  get catalog(): readonly CatalogModel[] {
    return this.deps.models().catalog;
  }
  get defaultFamily(): string {
    return this.deps.models().defaultFamily;
  }
  get cachedModels(): CachedModel[] {
    return this.#cached;
  }
  get storage(): StorageReport | null {
    return this.#storage;
  }
  /** The GPU's report once probed (choosing the in-browser engine probes it). */
  get gpu(): GpuReport | null {
    return this.#gpu;
  }

  /** Come back to the stored choice (page load). */
  async restore(): Promise<void> {
    let stored: EngineChoice | null = null;
    await this.notices.guard('engine-restore', 'Reading the engine you chose last time', async () => {
      stored = await this.deps.settings.engineChoice();
    });
    if (stored) await this.#apply(stored, { autoload: true });
  }

  /**
   * The user picked an engine: store it and get it ready as far as it goes without a download. A choice
   * that cannot be stored still applies to this page; the person is told it will not survive a reload.
   */
  async choose(choice: EngineChoice): Promise<void> {
    await this.notices.guard('engine-choice', 'Saving your engine choice', () =>
      this.deps.settings.saveEngineChoice(choice),
    );
    await this.#apply(choice, { autoload: false });
  }

  /** Download (if needed) and load the picked catalog model. */
  async load(): Promise<void> {
    const status = this.#status;
    if (status.state !== 'idle' && status.state !== 'failed') return;
    const picked = this.#picked();
    if (!picked) return;
    const generation = this.#generation;
    const abort = (this.#abort = new AbortController());
    this.#status = { state: 'loading', ...picked, progress: null };
    try {
      const client = await this.deps.models().load(
        picked.modelId,
        (progress) => {
          if (generation === this.#generation) this.#status = { state: 'loading', ...picked, progress };
        },
        abort.signal,
      );
      if (generation !== this.#generation) return void client.dispose();
      this.#ready(client);
    } catch (error) {
      if (generation !== this.#generation) return;
      if (isAbortError(error)) await this.#showPicked(generation);
      else this.#status = { state: 'failed', problem: problemOf(error) };
    } finally {
      if (this.#abort === abort) this.#abort = null;
      await this.refreshModels();
    }
  }

  /** Stop a download or load in progress. */
  cancelLoad(): void {
    this.#abort?.abort();
  }

  /** Cached models and storage figures, for the model manager. */
  async refreshModels(): Promise<void> {
    const host = this.deps.models();
    const [cached, storage] = await Promise.all([host.cached().catch(() => []), host.storage().catch(() => null)]);
    this.#cached = cached;
    this.#storage = storage;
    const status = this.#status;
    if (status.state === 'idle') {
      this.#status = { ...status, cached: cached.some((m) => m.modelId === status.modelId) };
    }
  }

  async removeModel(modelId: string): Promise<void> {
    await this.notices.guard(`remove-model:${modelId}`, 'Deleting the model', async () => {
      if (this.#client?.capabilities.engine === 'webllm' && this.#client.capabilities.model === modelId) {
        await this.#apply(this.#choice, { autoload: false });
      }
      await this.deps.models().remove(modelId);
    });
    await this.refreshModels();
  }

  /** The models a server offers (for the server form, before anything is chosen). */
  listServerModels(server: { baseUrl: string; apiKey: string }): Promise<string[]> {
    return this.deps.servers.models(server);
  }

  /** What the load button should offer now. */
  get loadMode(): 'none' | 'download' | 'load' | 'anyway' | 'retry' | 'loading' {
    const status = this.#status;
    switch (status.state) {
      case 'idle':
        return status.warnings.length > 0 ? 'anyway' : status.cached ? 'load' : 'download';
      case 'loading':
        return 'loading';
      case 'failed':
        return this.#picked() ? 'retry' : 'none';
      default:
        return 'none';
    }
  }

  async persistStorage(): Promise<boolean> {
    let granted = false;
    await this.notices.guard('persist', 'Asking the browser to keep the models', async () => {
      granted = await this.deps.models().persist();
    });
    await this.refreshModels();
    return granted;
  }

  async #apply(choice: EngineChoice, opts: { autoload: boolean }): Promise<void> {
    const generation = ++this.#generation;
    this.#abort?.abort();
    await this.#release();
    if (generation !== this.#generation) return; // a later choice took over while the old client was let go
    this.#choice = choice;
    if (choice.kind === 'none') {
      this.#status = { state: 'none' };
      return;
    }
    this.#status = { state: 'checking' };
    if (choice.kind === 'openai') return this.#connect(choice, generation);
    // Probed once while it says yes; a "no" is asked again (the user may have changed a flag or a setting).
    try {
      if (!this.#gpu?.ok) this.#gpu = await this.deps.models().probe();
    } catch (error) {
      if (generation === this.#generation) this.#status = { state: 'failed', problem: problemOf(error) };
      return;
    }
    if (generation !== this.#generation) return;
    await this.#showPicked(generation);
    const status = this.status; // (the getter: the field is narrowed to 'checking' by the assignment above)
    if (opts.autoload && status.state === 'idle' && status.cached && status.warnings.length === 0) await this.load();
  }

  #ready(client: LlmClient): void {
    this.#client = client;
    this.#status = { state: 'ready', capabilities: client.capabilities };
    this.hooks.onReady?.(client);
  }

  /** Let the ready client go: its users stop first, then it is disposed. Waits for a release in progress. */
  #release(): Promise<void> {
    const old = this.#client;
    if (old) {
      this.#client = null;
      this.#status = { state: 'releasing', capabilities: old.capabilities };
      this.#releasing = this.#releasing.then(async () => {
        await this.notices.guard('engine-release', 'Pausing the run before switching engines', async () => {
          await this.hooks.beforeRelease?.(old);
        });
        await old.dispose().catch(() => undefined);
      });
    }
    return this.#releasing;
  }

  async #connect(choice: Extract<EngineChoice, { kind: 'openai' }>, generation: number): Promise<void> {
    try {
      const { kind: _, ...settings } = choice;
      const client = await this.deps.servers.connect(settings);
      if (generation !== this.#generation) return void client.dispose();
      this.#ready(client);
    } catch (error) {
      if (generation === this.#generation) this.#status = { state: 'failed', problem: problemOf(error) };
    }
  }

  /** The picked catalog model and the variant this GPU would run, or why it cannot run. */
  async #showPicked(generation: number): Promise<void> {
    const gpu = this.#gpu;
    if (!gpu) return;
    if (!gpu.ok) {
      this.#status = { state: 'unavailable', problem: gpu.error };
      return;
    }
    const picked = this.#picked();
    if (!picked) {
      this.#status = { state: 'failed', problem: unknownModel(this.#choice) };
      return;
    }
    await this.refreshModels();
    if (generation !== this.#generation) return;
    const fit = this.deps.models().fit(picked.modelId, gpu);
    this.#status = {
      state: 'idle',
      ...picked,
      warnings: fit ? [...gpu.warnings, fit] : gpu.warnings,
      cached: this.#cached.some((m) => m.modelId === picked.modelId),
    };
  }

  #picked(): { model: CatalogModel; modelId: string } | null {
    const choice = this.#choice;
    const gpu = this.#gpu;
    if (choice.kind !== 'webllm' || !gpu?.ok) return null;
    const model = this.catalog.find((m) => m.family === choice.family);
    const variant = model?.variants[gpu.quantization];
    return model && variant ? { model, modelId: variant.modelId } : null;
  }
}

function unknownModel(choice: EngineChoice): Problem {
  const family = choice.kind === 'webllm' ? choice.family : '';
  return {
    code: 'model-not-found',
    message: `The model "${family}" is not in this version's catalog.`,
    action: 'Pick another model from the list.',
  };
}
