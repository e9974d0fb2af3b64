/**
 * A ModelHost that plays a scenario's `host` section (llmScenario.ts) instead of web-llm: a GPU probe, a load
 * that emits the scripted progress and then fails or hands out a ScriptedLlm for the same scenario, and an
 * in-memory weights cache. Test code only, like scriptedLlm.ts.
 *
 * Invariants: `load` emits progress in the scenario's order (download, then load) and nothing after it
 * settles; a cancelled load rejects with an AbortError DOMException; a failed or cancelled load leaves
 * nothing in the cache; a model id the catalog lacks fails with 'model-not-found' before any progress.
 */
import type { LlmClient, ModelHost } from '../../src/core/ports.ts';
import {
  LlmError,
  type CachedModel,
  type CatalogModel,
  type GpuReport,
  type LoadProgress,
  type StorageReport,
} from '../../src/domain/llm.ts';
import { SCRIPTED_LLM_MARKER, type HostScript, type Scenario } from './llmScenario.ts';
import { ScriptedLlm } from './scriptedLlm.ts';

export type RecordedLoad = {
  modelId: string;
  progress: LoadProgress[];
  outcome: 'pending' | 'ready' | 'error' | 'aborted';
};

export class ScriptedModelHost implements ModelHost {
  /** One model: the scenario's, as a q4f32_1 variant (the quantization every GPU can run). */
  readonly catalog: readonly CatalogModel[];
  readonly defaultFamily = 'Scripted-Coder';
  readonly loads: RecordedLoad[] = [];
  /** Every client a load handed out, in order. */
  readonly clients: ScriptedLlm[] = [];
  readonly #script: HostScript;
  readonly #cached = new Set<string>();
  #persisted = false;

  constructor(readonly scenario: Scenario) {
    if (!scenario.host) throw new Error(`${SCRIPTED_LLM_MARKER}: scenario "${scenario.name}" has no host section`);
    this.#script = scenario.host;
    const modelId = scenario.capabilities.model;
    this.catalog = [
      {
        family: this.defaultFamily,
        label: `Scripted coder (${scenario.name})`,
        kind: 'coder',
        parameters: '0B',
        variants: { q4f32_1: { modelId, vramMB: 1, downloadMB: 1 } },
      },
    ];
  }

  /** Scripted models are tiny: nothing speaks against them fitting. */
  fit(): null {
    return null;
  }

  async probe(): Promise<GpuReport> {
    const failure = this.#script.probeError;
    if (failure) return { ok: false, error: { code: failure.code, message: failure.message, action: failure.action } };
    return {
      ok: true,
      quantization: 'q4f32_1',
      warnings: [],
      adapter: { vendor: 'scripted', architecture: 'none', description: SCRIPTED_LLM_MARKER, fallback: false },
      features: { shaderF16: false },
      // WebGPU's default limits: what a modest real adapter reports.
      limits: {
        maxComputeWorkgroupStorageSize: 16_384,
        maxStorageBuffersPerShaderStage: 8,
        maxBufferSize: 268_435_456,
      },
    };
  }

  async load(modelId: string, onProgress: (progress: LoadProgress) => void, signal?: AbortSignal): Promise<LlmClient> {
    const record: RecordedLoad = { modelId, progress: [], outcome: 'pending' };
    this.loads.push(record);
    const known = this.catalog.some((model) => Object.values(model.variants).some((v) => v.modelId === modelId));
    try {
      if (!known)
        throw new LlmError('model-not-found', `${SCRIPTED_LLM_MARKER}: no model ${modelId}`, 'Pick a listed model.');
      const { delayMs, progress, error } = this.#script.load;
      for (const event of progress) {
        await sleep(delayMs, signal);
        record.progress.push(event);
        onProgress({ ...event });
      }
      await sleep(0, signal);
      if (error) throw new LlmError(error.code, error.message, error.action, error.retryable);
      this.#cached.add(modelId);
      const client = new ScriptedLlm(this.scenario, modelId);
      this.clients.push(client);
      record.outcome = 'ready';
      return client;
    } catch (error) {
      record.outcome = error instanceof DOMException && error.name === 'AbortError' ? 'aborted' : 'error';
      throw error;
    }
  }

  async cached(): Promise<CachedModel[]> {
    return [...this.#cached].map((modelId) => ({ modelId, bytes: null }));
  }

  async remove(modelId: string): Promise<void> {
    this.#cached.delete(modelId);
  }

  async storage(): Promise<StorageReport> {
    return { usage: null, quota: null, persisted: this.#persisted };
  }

  async persist(): Promise<boolean> {
    this.#persisted = true;
    return true;
  }
}

/** Wait, unless cancelled first; a cancellation rejects with an AbortError as the port promises. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = (): void => {
      clearTimeout(timer);
      reject(new DOMException(`${SCRIPTED_LLM_MARKER}: the load was aborted`, 'AbortError'));
    };
    if (signal?.aborted) return abort();
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
