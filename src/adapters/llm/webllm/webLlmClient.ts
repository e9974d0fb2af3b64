/**
 * LlmClient over web-llm's engine. Invariants:
 * - one request at a time (web-llm serialises per model anyway): the rest wait in order;
 * - every call settles: with a result, an LlmError, or an AbortError when its signal aborts (a queued call
 *   leaves the queue at once; the running one is rejected at once and interrupted in the engine);
 * - the next request starts only when the engine has finished the previous one, even an aborted one, so
 *   an interrupt can never reach the wrong request;
 * - after a device loss the same model is reloaded, the failed call rejects with a retryable
 *   LlmError('device-lost'), and later calls wait for the reload (or get its failure);
 * - a dead worker fails every call with the same error; after dispose() calls fail with 'not-loaded'.
 * Streaming is used only when the caller listens (onToken) and asked for no log-probabilities: web-llm's
 * stream carries each token's log-probability in the chunk that shows its text and skips chunks that end
 * in half a character, so logprobs are read from the whole reply instead.
 * `n` > 1 goes whole (web-llm refuses it with a stream), so with onToken it is refused ('bad-request', as
 * by every engine); a trailing assistant message is refused ('unsupported': web-llm's last message must be
 * the user's). Both before the call is queued.
 */
import type { LlmClient } from '../../../core/ports.ts';
import type { ChatChoice, ChatOptions, ChatRequest, ChatResult, LlmCapabilities } from '../../../domain/llm.ts';
import { LlmError, chatResult, choicesToAsk, isLlmError } from '../../../domain/llm.ts';
import {
  StreamCollector,
  parseCompletion,
  toEngineRequest,
  type EngineChoice,
  type EngineResult,
} from './chatMapping.ts';
import type { EnginePort } from './enginePort.ts';
import { toLlmError } from './errors.ts';

type Job = {
  request: ChatRequest;
  /** Completions to ask for. */
  n: number;
  options: ChatOptions;
  settled: boolean;
  resolve(result: ChatResult): void;
  reject(error: unknown): void;
  /** Set while the job runs: stop it in the engine. */
  stop?: () => void;
  cleanup?: () => void;
};

/** web-llm resets its interrupt flag when a request takes the model's lock, so one sent just before is lost. */
const INTERRUPT_EVERY_MS = 100;

/**
 * web-llm sets no limit on `n`; this one bounds how long one request holds the engine (its choices are
 * generated one after another). Inverse-Instruct asks K per function: 5 by default, 10 in the paper.
 */
export const WEBLLM_MAX_CHOICES = 16;

export class WebLlmClient implements LlmClient {
  readonly capabilities: LlmCapabilities;
  #queue: Job[] = [];
  #running: Job | null = null;
  #recovering: Promise<void> | null = null;
  #broken: Error | null = null;
  #disposed = false;

  constructor(
    private readonly engine: EnginePort,
    modelId: string,
  ) {
    this.capabilities = {
      engine: 'webllm',
      model: modelId,
      concurrency: 1,
      logprobs: true,
      jsonSchema: true,
      maxChoices: WEBLLM_MAX_CHOICES,
      // Its choices are generated one after another and each reads the prompt again (web-llm resets the
      // KV cache when the conversation changes): n saves queueing and round trips, not prefill.
      choicesShareThePrompt: false,
      continuesAssistant: false,
    };
    engine.onDeath((error) => {
      this.#broken = toLlmError(error, 'chat');
      for (const job of [...this.#queue.splice(0), ...(this.#running ? [this.#running] : [])]) fail(job, this.#broken);
    });
  }

  chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    if (this.#disposed) return Promise.reject(notLoaded());
    if (this.#broken) return Promise.reject(this.#broken);
    if (options.signal?.aborted) return Promise.reject(abortError());
    let n: number;
    try {
      // Refuse what web-llm cannot do before queueing it.
      n = choicesToAsk(request, this.capabilities.maxChoices, options.onToken !== undefined);
      toEngineRequest(request, false, n);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<ChatResult>((resolve, reject) => {
      const job: Job = { request, n, options, settled: false, resolve, reject };
      const onAbort = () => {
        if (job.settled) return;
        this.#queue = this.#queue.filter((j) => j !== job);
        fail(job, abortError());
        job.stop?.();
      };
      // Callers may share one signal across many calls: the listener goes when the call settles.
      options.signal?.addEventListener('abort', onAbort, { once: true });
      job.cleanup = () => options.signal?.removeEventListener('abort', onAbort);
      this.#queue.push(job);
      this.#pump();
    });
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const job of this.#queue.splice(0)) fail(job, abortError());
    if (this.#running) {
      fail(this.#running, abortError());
      this.#running.stop?.();
    }
    await this.engine.close();
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) return;
    const job = this.#queue.shift()!;
    this.#running = job;
    void this.#run(job).finally(() => {
      this.#running = null;
      this.#pump();
    });
  }

  async #run(job: Job): Promise<void> {
    if (this.#recovering) await this.#recovering;
    if (this.#broken) return fail(job, this.#broken);
    if (job.settled) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    job.stop = () => {
      this.engine.interrupt();
      timer ??= setInterval(() => this.engine.interrupt(), INTERRUPT_EVERY_MS);
    };
    try {
      const { onToken } = job.options;
      const streaming = onToken !== undefined && job.request.topLogprobs === undefined;
      const result = streaming ? await this.#stream(job, onToken) : await this.#complete(job);
      // One interrupt stops every choice of the request (web-llm leaves the later ones empty).
      if (result.choices.some((choice) => choice.finishReason === 'abort')) return fail(job, abortError());
      const [head, ...tail] = result.choices;
      const [first, rest] = [finished(head), tail.map(finished)];
      if (!streaming && onToken && first.text !== '') deliver(job, onToken, first.text);
      settle(job, () => job.resolve(chatResult([first, ...rest], result.usage)));
    } catch (raw) {
      const error = toLlmError(raw, 'chat');
      if (isLlmError(error) && (await this.#deviceLost(error))) {
        this.#recover();
        return fail(job, deviceLost(raw));
      }
      fail(job, error);
    } finally {
      clearInterval(timer);
    }
  }

  async #complete(job: Job): Promise<EngineResult> {
    return parseCompletion(await this.engine.create(toEngineRequest(job.request, false, job.n)));
  }

  async #stream(job: Job, onToken: (delta: string) => void): Promise<EngineResult> {
    const stream = await this.engine.create(toEngineRequest(job.request, true));
    if (!isAsyncIterable(stream))
      throw new LlmError('bad-response', 'The in-browser engine did not stream.', 'Reload the page.');
    const collector = new StreamCollector();
    // Read to the end even after an abort: the engine finishes (interrupted) and releases the model.
    for await (const chunk of stream) {
      const piece = collector.add(chunk);
      if (piece !== '') deliver(job, onToken, piece);
    }
    return collector.result();
  }

  /** Named device losses, and any failure after which the worker no longer has the model loaded. */
  async #deviceLost(error: LlmError): Promise<boolean> {
    if (error.code === 'device-lost' || error.code === 'not-loaded') return true;
    if (error.code !== 'unknown' || this.#broken) return false;
    return !(await this.engine.loaded().catch(() => true));
  }

  #recover(): void {
    this.#recovering ??= this.engine
      .reload()
      .catch((raw: unknown) => {
        const cause = toLlmError(raw, 'load');
        this.#broken = new LlmError(
          isLlmError(cause) ? cause.code : 'device-lost',
          `The GPU was lost and the model could not be loaded again: ${cause.message}`,
          'Pick a smaller model and load it, or reload the page.',
          false,
          { cause: raw },
        );
      })
      .finally(() => (this.#recovering = null));
  }
}

/** The caller's callback throwing fails its own call (and stops its generation), nothing else. */
function deliver(job: Job, onToken: (delta: string) => void, text: string): void {
  if (job.settled) return;
  try {
    onToken(text);
  } catch (error) {
    fail(job, error);
    job.stop?.();
  }
}

function settle(job: Job, action: () => void): void {
  if (job.settled) return;
  job.settled = true;
  job.cleanup?.();
  action();
}

function fail(job: Job, error: unknown): void {
  settle(job, () => job.reject(error));
}

/** A choice that was not interrupted (the caller checked). */
function finished(choice: EngineChoice): ChatChoice {
  return { ...choice, finishReason: choice.finishReason === 'abort' ? 'other' : choice.finishReason };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function abortError(): DOMException {
  return new DOMException('Cancelled', 'AbortError');
}

function notLoaded(): LlmError {
  return new LlmError('not-loaded', 'The model was unloaded.', 'Load a model again.');
}

function deviceLost(cause: unknown): LlmError {
  return new LlmError(
    'device-lost',
    'The GPU device was lost during generation (usually it ran out of memory); the model is being loaded again.',
    'Try the request again; if it keeps happening, pick a smaller model.',
    true,
    { cause },
  );
}
