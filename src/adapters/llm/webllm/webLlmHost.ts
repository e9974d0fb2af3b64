/**
 * ModelHost for web-llm: the catalog, the GPU check, loading a model in its worker, and the weights in
 * the browser's cache. Invariants:
 * - creating the host costs nothing: web-llm's code is imported on the first call that needs it;
 * - a load never starts where the probe says it cannot run (web-llm would fail late and vaguely), nor
 *   loads a q4f16_1 model on an adapter without shader-f16;
 * - a load reports progress from before the worker starts until it settles, then never again;
 * - a failed load rejects with an LlmError (a download that failed is told apart from a model that is
 *   not there by asking the model's host for its config once); a cancelled one with an AbortError, and its
 *   worker is gone.
 */
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import type { LlmClient, ModelHost } from '../../../core/ports.ts';
import { LlmError, isLlmError } from '../../../domain/llm.ts';
import type { CachedModel, CatalogModel, GpuReport, LoadProgress, StorageReport } from '../../../domain/llm.ts';
import { evaluateGpu } from './capabilities.ts';
import { CATALOG, DEFAULT_FAMILY } from './catalog.ts';
import { toLlmError } from './errors.ts';
import { probeGpu } from './gpuProbe.ts';
import { cachedModels, modelBaseUrl, removeModel, requestPersistence, storageReport } from './modelCache.ts';
import { LoadTracker } from './progress.ts';
import { WebLlmClient } from './webLlmClient.ts';
import { loadWebLlm, type WebLlm } from './webLlmModule.ts';
import { checkModelFit } from './vram.ts';
import { startWorkerEngine } from './workerEngine.ts';

export type WebLlmHostOptions = {
  catalog?: readonly CatalogModel[];
  /** Adjust web-llm's prebuilt config (tests point the model URLs at a loopback server). */
  appConfig?: (prebuilt: AppConfig) => AppConfig;
};

const DIAGNOSE_MS = 10_000;

export function createWebLlmHost(options: WebLlmHostOptions = {}): ModelHost {
  const catalog = options.catalog ?? CATALOG;
  const ids = catalog.flatMap((m) => Object.values(m.variants).map((v) => v.modelId));
  let config: AppConfig | null = null;
  const engine = async (): Promise<{ webllm: WebLlm; appConfig: AppConfig }> => {
    const webllm = await loadWebLlm();
    config ??= options.appConfig ? options.appConfig(webllm.prebuiltAppConfig) : webllm.prebuiltAppConfig;
    return { webllm, appConfig: config };
  };
  const probe = async (): Promise<GpuReport> => evaluateGpu(await probeGpu());

  return {
    catalog,
    defaultFamily: DEFAULT_FAMILY,
    probe,
    fit: (modelId, gpu) => checkModelFit(modelId, gpu)?.warning ?? null,

    async load(
      modelId: string,
      onProgress: (progress: LoadProgress) => void,
      signal?: AbortSignal,
    ): Promise<LlmClient> {
      if (signal?.aborted) throw abortError();
      const variant = catalog.flatMap((m) => Object.entries(m.variants)).find(([, v]) => v.modelId === modelId);
      if (!variant)
        throw new LlmError('model-not-found', `"${modelId}" is not in the model list.`, 'Pick a model from the list.');
      const report = await probe();
      if (!report.ok) throw new LlmError(report.error.code, report.error.message, report.error.action);
      if (variant[0] === 'q4f16_1' && !report.features.shaderF16) {
        throw new LlmError(
          'unsupported',
          'This model variant needs the GPU feature shader-f16, which this browser does not offer.',
          'Pick the q4f32_1 variant of the same model.',
        );
      }
      const { webllm, appConfig } = await engine();
      const record = appConfig.model_list.find((r) => r.model_id === modelId);
      const cached = await webllm.hasModelInCache(modelId, appConfig).catch(() => false);
      if (signal?.aborted) throw abortError(); // before a worker starts for nothing
      const tracker = new LoadTracker(cached);
      const emit = (progress: LoadProgress) => {
        try {
          onProgress(progress);
        } catch (error) {
          console.error('load progress callback failed', error);
        }
      };
      emit(
        tracker.initial(
          cached ? 'Loading the model from this browser’s cache…' : 'Fetching the model’s configuration and library…',
        ),
      );
      try {
        const port = await startWorkerEngine({
          webllm,
          modelId,
          appConfig,
          signal,
          onReport: (r) => emit(tracker.update(r)),
        });
        return new WebLlmClient(port, modelId);
      } catch (raw) {
        const error = toLlmError(raw, 'load');
        throw isLlmError(error) && error.code === 'network' && record ? await diagnose(error, record) : error;
      }
    },

    async cached(): Promise<CachedModel[]> {
      const { webllm, appConfig } = await engine();
      return cachedModels(webllm, appConfig, ids);
    },

    async remove(modelId: string): Promise<void> {
      const { webllm, appConfig } = await engine();
      try {
        await removeModel(webllm, appConfig, modelId);
      } catch (raw) {
        throw toLlmError(raw, 'load');
      }
    },

    storage: (): Promise<StorageReport> => storageReport(),
    persist: (): Promise<boolean> => requestPersistence(),
  };
}

/**
 * A download failed: is the network down, or is the model not where the config says? Ask for the model's
 * config once (a repository that does not exist answers 401 or 404 on huggingface.co).
 */
async function diagnose(error: LlmError, record: ModelRecord): Promise<LlmError> {
  const url = new URL('mlc-chat-config.json', modelBaseUrl(record)).href;
  try {
    const response = await fetch(url, { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(DIAGNOSE_MS) });
    if (response.status === 404 || response.status === 401) {
      return new LlmError(
        'model-not-found',
        `The model's files are not where the model list says (${url} answered ${response.status}).`,
        'Pick another model; if every model fails, Semiverse needs an update.',
        false,
        { cause: error.cause },
      );
    }
  } catch {
    // Unreachable as well: the network (or the model's host) is down, as the error says.
  }
  return error;
}

function abortError(): DOMException {
  return new DOMException('Model load cancelled', 'AbortError');
}
