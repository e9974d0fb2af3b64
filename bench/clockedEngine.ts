/**
 * The GPU's stand-in: an LlmClient that answers with a scripted model's replies and takes a fixed time per
 * generated token, kept on a clock of its own. Invariants:
 * - at most `capabilities.concurrency` requests generate at once, each at `msPerToken` per token whatever
 *   the others do (a batching server or web-llm's one slot);
 * - a request starts generating when it is asked for if a slot is free (the pipeline's LlmRunner never asks
 *   for more), else when a slot frees, and finishes `completionTokens * msPerToken` later, on the engine's
 *   clock: if the pipeline's thread is busy at that moment (Python in process, storage, the pipeline's own
 *   work), the answer is delivered late but the engine is idle from its finish, as a GPU in another worker
 *   or process would be. Stretching every token's timer instead (what the scripted LLM's `delayMs` does)
 *   would count the time the host kept the engine waiting as generation, which is what is to be measured;
 * - every request is recorded: asked, started, finished, delivered, tokens.
 *
 * The replies come from `answer` (the scripted model, test/fakes/scriptedLlm.ts, with no delay of its own);
 * the time it takes to pick them is recorded apart (`scriptMs`), since a real engine spends none of it.
 */
import type { LlmClient } from '../src/core/ports.ts';
import type { ChatOptions, ChatRequest, ChatResult } from '../src/domain/llm.ts';

export type Generation = {
  request: ChatRequest;
  asked: number;
  started: number;
  finished: number;
  delivered: number;
  promptTokens: number;
  completionTokens: number;
  /** Time the scripted model took to find its reply (main thread, not the engine's). */
  scriptMs: number;
};

export class ClockedEngine implements LlmClient {
  readonly generations: Generation[] = [];
  #freeAt: number[];

  constructor(
    private readonly answer: LlmClient,
    private readonly msPerToken: number,
  ) {
    this.#freeAt = Array.from({ length: Math.max(1, answer.capabilities.concurrency) }, () => 0);
  }

  get capabilities() {
    return this.answer.capabilities;
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const asked = performance.now();
    const result = await this.answer.chat(request, options);
    const scriptMs = performance.now() - asked;
    const slot = this.#freeAt.indexOf(Math.min(...this.#freeAt));
    const started = Math.max(asked, this.#freeAt[slot]!);
    const finished = started + result.usage.completionTokens * this.msPerToken;
    this.#freeAt[slot] = finished;
    // A timer may fire a fraction of a millisecond early (it rounds): never deliver before the finish.
    while (performance.now() < finished)
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, finished - performance.now())));
    const { promptTokens, completionTokens } = result.usage;
    this.generations.push({
      request,
      asked,
      started,
      finished,
      delivered: performance.now(),
      promptTokens,
      completionTokens,
      scriptMs,
    });
    return result;
  }

  async dispose(): Promise<void> {
    await this.answer.dispose();
  }
}
