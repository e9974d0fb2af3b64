/**
 * web-llm's engine in its own module worker (workers/llm/webllm.worker.ts), driven from the page by
 * web-llm's WebWorkerMLCEngine. Invariants:
 * - web-llm owns the worker's message channel (it sets `worker.onmessage`): we add only 'error' listeners;
 * - web-llm never settles a call whose worker died, so a death is watched here and reported once;
 * - a load cancelled through its signal terminates the worker at once (web-llm's own unload() makes a
 *   reload RESOLVE quietly, which would look like success) and rejects with an AbortError;
 * - load progress reaches `onReport` only until the load settles (a later reload after a device loss
 *   must not look like a new load to the UI).
 */
import type { AppConfig, InitProgressReport, WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import type { EnginePort } from './enginePort.ts';
import { isLlmError } from '../../../domain/llm.ts';
import { toLlmError } from './errors.ts';
import type { WebLlm } from './webLlmModule.ts';

/** How long unload() may take before the worker is terminated anyway (a lost GPU may never answer). */
const CLOSE_GRACE_MS = 3_000;
const LOADED_CHECK_MS = 5_000;

export function spawnWorker(): Worker {
  // This exact form lets Vite bundle the worker as its own chunk, in dev and in the build.
  return new Worker(new URL('../../../../workers/llm/webllm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'webllm',
  });
}

export async function startWorkerEngine(opts: {
  webllm: WebLlm;
  modelId: string;
  appConfig: AppConfig;
  onReport: (report: InitProgressReport) => void;
  signal?: AbortSignal;
}): Promise<EnginePort> {
  const worker = spawnWorker();
  let loading = true;
  const died = watchDeath(worker);
  let onAbort = (): void => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DOMException('Model load cancelled', 'AbortError'));
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const engine = await Promise.race([
      opts.webllm.CreateWebWorkerMLCEngine(worker, opts.modelId, {
        appConfig: opts.appConfig,
        initProgressCallback: (report) => {
          if (loading) opts.onReport(report);
        },
      }),
      died.promise,
      cancelled,
    ]);
    return wrapEngine(engine, worker, opts.modelId, died);
  } catch (error) {
    worker.terminate();
    throw error;
  } finally {
    loading = false;
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

type Death = { promise: Promise<never>; listen(listener: (error: Error) => void): void };

function watchDeath(worker: Worker): Death {
  const listeners: ((error: Error) => void)[] = [];
  let dead: Error | null = null;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined); // observed by whoever races it; never an unhandled rejection
  const die = (detail: string) => {
    if (dead) return;
    dead = Object.assign(new Error(`the WebLLM worker stopped${detail ? `: ${detail}` : ''}`), { name: 'WorkerDied' });
    reject(dead);
    for (const listener of listeners.splice(0)) listener(dead);
  };
  worker.addEventListener('error', (event) => die(event.message ?? ''));
  worker.addEventListener('messageerror', () => die('a message could not be read'));
  return {
    promise,
    listen: (listener) => (dead ? listener(dead) : void listeners.push(listener)),
  };
}

/** An EnginePort over a loaded WebWorkerMLCEngine (also used by bench/llmBench.ts on its own engine). */
export function wrapEngine(
  engine: WebWorkerMLCEngine,
  worker: Worker,
  modelId: string,
  death = watchDeath(worker),
): EnginePort {
  engine.setInitProgressCallback(undefined);
  return {
    create: (request) => engine.chat.completions.create(request),
    interrupt: () => engine.interruptGenerate(),
    reload: () => engine.reload(modelId),
    loaded: async () => {
      // getMessage() answers only while a model is loaded, else ModelNotLoadedError: the cheapest question.
      const probe = engine.getMessage().then(
        () => true,
        (error: unknown) => !isNotLoaded(toLlmError(error, 'chat')),
      );
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), LOADED_CHECK_MS));
      return Promise.race([probe, timeout]);
    },
    onDeath: (listener) => death.listen(listener),
    close: async () => {
      const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS));
      await Promise.race([engine.unload().catch(() => undefined), grace, death.promise.catch(() => undefined)]);
      worker.terminate();
    },
  };
}

function isNotLoaded(error: unknown): boolean {
  return isLlmError(error) && error.code === 'not-loaded';
}
