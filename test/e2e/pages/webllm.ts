/**
 * Test page: the app's own WebLLM host (src/adapters/llm/webllm) exposed to Playwright, so browser tests
 * drive the capability checks, a real load in the real worker, and the weights cache in Chromium without
 * the UI. Served by the Vite dev server, in tests only. Everything returned is plain data (errors too).
 */
import type { ModelHost } from '../../../src/core/ports.ts';
import { isLlmError, type LoadProgress } from '../../../src/domain/llm.ts';
import { probeGpu } from '../../../src/adapters/llm/webllm/gpuProbe.ts';
import { modelBaseUrl } from '../../../src/adapters/llm/webllm/modelCache.ts';
import { createWebLlmHost } from '../../../src/adapters/llm/webllm/webLlmHost.ts';
import type { GpuFacts } from '../../../src/adapters/llm/webllm/capabilities.ts';

export type SeenError = {
  name: string;
  code: string | null;
  message: string;
  action: string | null;
  retryable: boolean | null;
  /** What web-llm rejected with: a string when it crossed from the worker (its handler posts err.toString()). */
  causeType: string;
  cause: string;
};

export type LoadOutcome = {
  ok: boolean;
  /** Whether abortLoad() was called before the load settled. */
  aborted: boolean;
  progress: LoadProgress[];
  error: SeenError | null;
};

declare global {
  interface Window {
    webllm: {
      facts(): Promise<GpuFacts>;
      probe(): ReturnType<ModelHost['probe']>;
      /** Load a model; `base` points every model's files at that URL (a loopback server). */
      load(modelId: string, opts?: { base?: string }): Promise<LoadOutcome>;
      /** Cancel the load in progress (a test calls it once it has seen the worker fetch something). */
      abortLoad(): void;
      /** Files as web-llm stores them; without a manifest: a download that stopped before tensor-cache.json. */
      seedCache(modelId: string, shardBytes: number[], opts?: { manifest?: boolean }): Promise<number>;
      cacheEntries(): Promise<string[]>;
      cached(): ReturnType<ModelHost['cached']>;
      remove(modelId: string): Promise<void>;
      storage(): ReturnType<ModelHost['storage']>;
      persist(): Promise<boolean>;
    };
  }
}

const plain = createWebLlmHost();
let pending: AbortController | null = null;

function hostFor(base?: string): ModelHost {
  if (!base) return plain;
  return createWebLlmHost({
    appConfig: (prebuilt) => ({
      ...prebuilt,
      model_list: prebuilt.model_list.map((r) => ({
        ...r,
        model: `${base}${r.model_id}`,
        model_lib: `${base}lib/${r.model_id}.wasm`,
      })),
    }),
  });
}

function seen(error: unknown): SeenError {
  const cause = error instanceof Error ? error.cause : undefined;
  return {
    name: error instanceof Error || error instanceof DOMException ? error.name : typeof error,
    code: isLlmError(error) ? error.code : null,
    message: error instanceof Error || error instanceof DOMException ? error.message : String(error),
    action: isLlmError(error) ? error.action : null,
    retryable: isLlmError(error) ? error.retryable : null,
    causeType: typeof cause,
    cause: String(cause),
  };
}

window.webllm = {
  facts: () => probeGpu(),
  probe: () => plain.probe(),
  async load(modelId, opts = {}) {
    const progress: LoadProgress[] = [];
    const current = (pending = new AbortController());
    const aborted = () => current.signal.aborted;
    try {
      const client = await hostFor(opts.base).load(modelId, (p) => progress.push(p), current.signal);
      await client.dispose();
      return { ok: true, aborted: aborted(), progress, error: null };
    } catch (error) {
      return { ok: false, aborted: aborted(), progress, error: seen(error) };
    } finally {
      if (pending === current) pending = null;
    }
  },
  abortLoad() {
    pending?.abort();
  },
  /** Files as web-llm would have stored them for this model (a tensor-cache.json, its shards, a config). */
  async seedCache(modelId, shardBytes, opts = {}) {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const record = prebuiltAppConfig.model_list.find((r) => r.model_id === modelId)!;
    const base = modelBaseUrl(record);
    const model = await caches.open('webllm/model');
    const records = shardBytes.map((nbytes, i) => ({
      dataPath: `params_shard_${i}.bin`,
      format: 'raw-shard',
      nbytes,
      records: [],
    }));
    const json = JSON.stringify({ metadata: {}, records });
    const manifest = opts.manifest !== false;
    if (manifest) await model.put(base + 'tensor-cache.json', new Response(json));
    await model.put(base + 'tokenizer.json', new Response('{}'));
    for (const [i, nbytes] of shardBytes.entries()) {
      await model.put(
        base + `params_shard_${i}.bin`,
        new Response(new Uint8Array(nbytes), { headers: { 'content-length': String(nbytes) } }),
      );
    }
    const config = await caches.open('webllm/config');
    const chatConfig = JSON.stringify({ tokenizer_files: ['tokenizer.json'] });
    await config.put(base + 'mlc-chat-config.json', new Response(chatConfig));
    const size = (text: string) => new TextEncoder().encode(text).length;
    return (manifest ? size(json) : 0) + size('{}') + shardBytes.reduce((a, b) => a + b, 0) + size(chatConfig);
  },
  async cacheEntries() {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(`${name} ${request.url}`);
    }
    return urls;
  },
  cached: () => plain.cached(),
  remove: (modelId) => plain.remove(modelId),
  storage: () => plain.storage(),
  persist: () => plain.persist(),
};
document.title = 'ready';
