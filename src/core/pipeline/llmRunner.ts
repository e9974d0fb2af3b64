/**
 * Every LLM request of a run goes through here. Invariants:
 * - at most `capabilities.concurrency` requests are at the engine at once; the others wait here, and the
 *   one that goes next is the one closest to finishing a sample (later stages first, then first come), so
 *   samples complete steadily instead of every function waiting at the last stage;
 * - a request asked before (same project, model and request) is answered from storage: a resumed run, or a
 *   changed threshold, spends no GPU time on what was already generated; every request and its answer is
 *   stored, for the sample inspector;
 * - failures are sorted: a retryable one (device lost, rate limit, a dropped connection) is tried again
 *   with backoff; one about this request (bad request, unsupported) refuses the request and the stage drops
 *   the function; anything else means the engine cannot go on, and the run stops (EngineStopped) with
 *   everything finished kept;
 * - a cancellation is an AbortError, never a failure.
 */
import { isAbortError } from '../../domain/errors.ts';
import {
  isLlmError,
  type ChatRequest,
  type ChatResult,
  type LlmCapabilities,
  type LlmError,
} from '../../domain/llm.ts';
import { LLM_STAGES, type LlmCallRow, type LlmStage, type ModelRef } from '../../domain/pipeline.ts';
import { SCHEMA_VERSION } from '../../domain/records.ts';
import { keyOf } from '../../lib/hash.ts';
import type { LlmClient, StoragePort } from '../ports.ts';

/** Tries of one request whose failure says "try again" (device lost: the client reloads in between). */
const MAX_ATTEMPTS = 4;
/** First wait before a retry, doubled each time. */
const BACKOFF_MS = 500;
/** Log-probabilities kept per stored answer: the judge reads the first non-blank token's. */
const STORED_LOGPROB_TOKENS = 5;

export class EngineStopped extends Error {
  override name = 'EngineStopped';
  constructor(readonly error: LlmError) {
    super(error.message, { cause: error });
  }
}

/** The engine refused this request (too long, unsupported option): the function is dropped, the run goes on. */
export class RequestRefused extends Error {
  override name = 'RequestRefused';
}

export type LlmCall = { result: ChatResult; tokens: number; cached: boolean };

export type LlmStats = {
  calls: number;
  cached: number;
  promptTokens: number;
  completionTokens: number;
  /** Time with at least one request generating, and since the first request. */
  busyMs: number;
  spanMs: number;
  /** Decode speed of the last answers, tokens per second (null until known). */
  decodeTokensPerSecond: number | null;
};

type Waiter = { rank: number; seq: number; start: () => void };

export class LlmRunner {
  readonly capabilities: LlmCapabilities;
  #waiting: Waiter[] = [];
  #inFlight = 0;
  #seq = 0;
  #busySince: number | null = null;
  #firstAt: number | null = null;
  #stats: LlmStats = {
    calls: 0,
    cached: 0,
    promptTokens: 0,
    completionTokens: 0,
    busyMs: 0,
    spanMs: 0,
    decodeTokensPerSecond: null,
  };

  constructor(
    private readonly client: LlmClient,
    private readonly storage: Pick<StoragePort, 'llmCall' | 'saveLlmCall'>,
    private readonly projectId: string,
    private readonly model: ModelRef,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capabilities = client.capabilities;
  }

  get stats(): LlmStats {
    const busy = this.#busySince === null ? 0 : this.now() - this.#busySince;
    const span = this.#firstAt === null ? 0 : this.now() - this.#firstAt;
    return { ...this.#stats, busyMs: this.#stats.busyMs + busy, spanMs: span };
  }

  async call(functionId: string, stage: LlmStage, request: ChatRequest, signal?: AbortSignal): Promise<LlmCall> {
    signal?.throwIfAborted();
    const key = keyOf(this.projectId, this.model, request);
    const stored = await this.storage.llmCall(key);
    if (stored) {
      this.#stats.cached += 1;
      const result = stored.result as ChatResult;
      return { result, tokens: result.usage.promptTokens + result.usage.completionTokens, cached: true };
    }
    await this.#acquire(LLM_STAGES.indexOf(stage), signal);
    const started = this.now();
    let result: ChatResult;
    try {
      result = await this.#withRetries(request, signal);
    } finally {
      this.#release();
    }
    const ms = this.now() - started;
    this.#count(result);
    const row: LlmCallRow = {
      key,
      projectId: this.projectId,
      functionId,
      stage,
      schemaVersion: SCHEMA_VERSION,
      request,
      result: trimmed(result),
      ms: Math.round(ms),
      at: Date.now(),
    };
    await this.storage.saveLlmCall(row);
    return { result, tokens: result.usage.promptTokens + result.usage.completionTokens, cached: false };
  }

  async #withRetries(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.chat(request, signal ? { signal } : {});
      } catch (error) {
        if (isAbortError(error)) throw error;
        if (!isLlmError(error)) throw error;
        if (error.code === 'bad-request' || error.code === 'unsupported')
          throw new RequestRefused(`${error.code}: ${error.message}`, { cause: error });
        if (!error.retryable || attempt >= MAX_ATTEMPTS) {
          if (error.code === 'bad-response')
            throw new RequestRefused(`${error.code}: ${error.message}`, { cause: error });
          throw new EngineStopped(error);
        }
        await sleep(BACKOFF_MS * 2 ** (attempt - 1), signal);
      }
    }
  }

  #count(result: ChatResult): void {
    const s = this.#stats;
    s.calls += 1;
    s.promptTokens += result.usage.promptTokens;
    s.completionTokens += result.usage.completionTokens;
    if (result.usage.decodeTokensPerSecond !== null) s.decodeTokensPerSecond = result.usage.decodeTokensPerSecond;
  }

  #acquire(rank: number, signal?: AbortSignal): Promise<void> {
    if (this.#inFlight < Math.max(1, this.capabilities.concurrency)) {
      this.#begin();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        rank,
        seq: this.#seq++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(signal!.reason instanceof DOMException ? signal!.reason : new DOMException('Aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #begin(): void {
    this.#inFlight += 1;
    const now = this.now();
    this.#firstAt ??= now;
    this.#busySince ??= now;
  }

  /** Hand the slot to the best waiter (the engine never sits idle between two requests), or free it. */
  #release(): void {
    if (this.#waiting.length === 0) {
      this.#inFlight -= 1;
      if (this.#inFlight === 0 && this.#busySince !== null) {
        this.#stats.busyMs += this.now() - this.#busySince;
        this.#busySince = null;
      }
      return;
    }
    let best = 0;
    for (let i = 1; i < this.#waiting.length; i++) {
      const w = this.#waiting[i]!;
      const b = this.#waiting[best]!;
      if (w.rank > b.rank || (w.rank === b.rank && w.seq < b.seq)) best = i;
    }
    const [next] = this.#waiting.splice(best, 1);
    next!.start();
  }
}

function trimmed(result: ChatResult): ChatResult {
  const cut = (logprobs: ChatResult['logprobs']) => logprobs?.slice(0, STORED_LOGPROB_TOKENS) ?? null;
  return {
    ...result,
    logprobs: cut(result.logprobs),
    choices: result.choices.map((c) => ({ ...c, logprobs: cut(c.logprobs) })),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
