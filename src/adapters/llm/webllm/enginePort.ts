/**
 * The little of web-llm's engine the client uses, so the client is tested in Node against a fake and the
 * real one (workerEngine.ts) stays a thin shell. Replies are `unknown`: the client validates them.
 */
import type { ChatCompletionRequest } from '@mlc-ai/web-llm';

export interface EnginePort {
  /** engine.chat.completions.create: a ChatCompletion, or with `stream: true` an AsyncIterable of chunks. */
  create(request: ChatCompletionRequest): Promise<unknown>;
  /** Ask the running generation to stop (it then ends with finish_reason "abort"). */
  interrupt(): void;
  /** Load the same model again (after a device loss web-llm has unloaded it). */
  reload(): Promise<void>;
  /** Whether the worker still has the model loaded: false once a device loss made web-llm unload it. */
  loaded(): Promise<boolean>;
  /** Called once if the worker dies; calls in flight then never settle on their own. */
  onDeath(listener: (error: Error) => void): void;
  /** Unload and stop the worker. Settles even when the worker no longer answers. */
  close(): Promise<void>;
}
