/**
 * The weights web-llm keeps in this browser, and the storage they use. web-llm 0.2.86 stores with the
 * Cache API by default (appConfig.cacheBackend "cache"), in three caches: "webllm/model" (weight shards,
 * tensor-cache.json, tokenizer), "webllm/config" (mlc-chat-config.json) and "webllm/wasm" (the model
 * library, which several models share). Whether a model is cached is web-llm's own answer
 * (hasModelInCache: its tensor-cache.json and every shard are there). Its size is ours: the sum of the
 * entries under the model's URL in the model and config caches, each by its Content-Length header, or by
 * reading the entry's size when a response has none (only small JSON files lack it). The shared library
 * is left out of the sizes; deleting a model deletes it too (web-llm fetches it again when needed).
 */
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import type { CachedModel, StorageReport } from '../../../domain/llm.ts';
import type { WebLlm } from './webLlmModule.ts';

const SIZED_CACHES = ['webllm/model', 'webllm/config'] as const;

/** web-llm's cleanModelUrl (not exported): the folder its files are fetched from, ".../resolve/main/". */
export function modelBaseUrl(record: Pick<ModelRecord, 'model'>): string {
  let url = record.model.endsWith('/') ? record.model : `${record.model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

export async function cachedModels(
  webllm: WebLlm,
  appConfig: AppConfig,
  modelIds: readonly string[],
): Promise<CachedModel[]> {
  const found: CachedModel[] = [];
  for (const modelId of modelIds) {
    const record = appConfig.model_list.find((r) => r.model_id === modelId);
    if (!record) continue;
    if (!(await webllm.hasModelInCache(modelId, appConfig).catch(() => false))) continue;
    found.push({ modelId, bytes: await bytesUnder(modelBaseUrl(record)).catch(() => null) });
  }
  return found;
}

async function bytesUnder(base: string): Promise<number | null> {
  if (typeof caches === 'undefined') return null;
  let total = 0;
  for (const name of SIZED_CACHES) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (!request.url.startsWith(base)) continue;
      const response = await cache.match(request);
      if (!response) continue;
      const length = Number(response.headers.get('content-length'));
      total += Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
    }
  }
  return total;
}

/**
 * Delete a model's files. web-llm's deleteModelAllInfoInCache reads the model's tensor-cache.json to find
 * its shards, and fetches it from the network when it is not cached (then stores it): so it is called only
 * when the manifest is there, and whatever is left under the model's URL (a download that stopped before
 * its manifest: config, tokenizer) is swept here, without a request.
 */
export async function removeModel(webllm: WebLlm, appConfig: AppConfig, modelId: string): Promise<void> {
  const record = appConfig.model_list.find((r) => r.model_id === modelId);
  if (!record || typeof caches === 'undefined') return;
  const base = modelBaseUrl(record);
  const manifest = await caches.match(new URL('tensor-cache.json', base).href, { cacheName: 'webllm/model' });
  if (manifest) await webllm.deleteModelAllInfoInCache(modelId, appConfig);
  else await webllm.deleteModelWasmInCache(modelId, appConfig);
  for (const name of SIZED_CACHES) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) if (request.url.startsWith(base)) await cache.delete(request);
  }
}

export async function storageReport(): Promise<StorageReport> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage) return { usage: null, quota: null, persisted: false };
  const [estimate, persisted] = await Promise.all([
    storage.estimate().catch(() => ({}) as StorageEstimate),
    storage.persisted().catch(() => false),
  ]);
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

export async function requestPersistence(): Promise<boolean> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return storage ? storage.persist().catch(() => false) : false;
}
