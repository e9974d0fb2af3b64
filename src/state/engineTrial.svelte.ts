/**
 * Try the ready engine with one prompt before a run relies on it: the answer streams in as it is written,
 * then its speed. Streamed pieces are gathered and shown once per animation frame (a fast engine writes
 * hundreds of pieces a second; re-rendering per piece would cost more than the generation). Stopping is a
 * cancellation: what was written so far stays, and it is not an error.
 */
import type { LlmClient } from '../core/ports.ts';
import { isAbortError } from '../domain/errors.ts';
import type { ChatResult } from '../domain/llm.ts';
import { problemOf, type Problem } from './engineProblem.ts';

export const TRIAL_PROMPT = 'Write a Python function that returns the n-th Fibonacci number, with a docstring.';

type Frame = (callback: () => void) => void;
const nextFrame: Frame = (callback) =>
  typeof requestAnimationFrame === 'function' ? void requestAnimationFrame(callback) : void setTimeout(callback, 16);

export class EngineTrial {
  #text = $state('');
  #state = $state<'idle' | 'running' | 'done' | 'stopped' | 'failed'>('idle');
  #result = $state.raw<ChatResult | null>(null);
  #problem = $state.raw<Problem | null>(null);
  #abort: AbortController | null = null;
  #pending = '';
  #scheduled = false;

  constructor(private readonly frame: Frame = nextFrame) {}

  get text(): string {
    return this.#text;
  }
  get state(): 'idle' | 'running' | 'done' | 'stopped' | 'failed' {
    return this.#state;
  }
  get result(): ChatResult | null {
    return this.#result;
  }
  get problem(): Problem | null {
    return this.#problem;
  }

  async run(client: LlmClient, prompt: string): Promise<void> {
    this.stop();
    const abort = (this.#abort = new AbortController());
    this.#text = '';
    this.#pending = '';
    this.#result = null;
    this.#problem = null;
    this.#state = 'running';
    try {
      const result = await client.chat(
        { messages: [{ role: 'user', content: prompt }], temperature: 0, maxTokens: 512 },
        { signal: abort.signal, onToken: (piece) => this.#gather(piece) },
      );
      if (this.#abort !== abort) return; // a newer trial took over
      this.#flush();
      this.#text = result.text; // the whole answer, also from an engine that does not stream
      this.#result = result;
      this.#state = 'done';
    } catch (error) {
      if (this.#abort !== abort) return;
      this.#flush();
      if (isAbortError(error)) {
        this.#state = 'stopped';
      } else {
        this.#problem = problemOf(error);
        this.#state = 'failed';
      }
    } finally {
      if (this.#abort === abort) this.#abort = null;
    }
  }

  stop(): void {
    this.#abort?.abort();
  }

  #gather(piece: string): void {
    this.#pending += piece;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.frame(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    if (!this.#pending) return;
    this.#text += this.#pending;
    this.#pending = '';
  }
}
