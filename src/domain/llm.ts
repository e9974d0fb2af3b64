/**
 * What the pipeline asks of an LLM and what comes back, independent of the engine that serves it (web-llm on
 * the user's GPU or an OpenAI-compatible server; tests' scripted LLM poses as one of them). Plain data: it
 * crosses workers and is stored with a stage's output.
 */

export type ChatRole = 'system' | 'user' | 'assistant';
export type ChatMessage = { role: ChatRole; content: string };

/** A JSON Schema object (draft 7 subset that web-llm's grammar compiler and OpenAI servers accept). */
export type JsonSchema = { [key: string]: unknown };

export type ChatRequest = {
  /**
   * The conversation. When the last message is the assistant's (`{role: 'assistant', content: 'Write a
   * python function'}`), the engine continues that message and returns only the continuation: only where
   * `capabilities.continuesAssistant`; elsewhere the request fails with 'unsupported' (isPrefill()).
   */
  messages: ChatMessage[];
  /**
   * Completions of the same prompt in one request (default 1). Each engine asks for at most
   * `capabilities.maxChoices`, and a server may return fewer than asked (Ollama ignores `n`): the result
   * holds 1 to n choices, and a caller that needs more asks again for the rest. A stream carries one
   * choice, so n > 1 with `onToken` fails with 'bad-request' (choicesToAsk()).
   */
  n?: number;
  /** 0 is greedy. Engine default when absent. */
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  /** Makes sampling repeatable where the engine supports it (web-llm, vLLM, llama.cpp). */
  seed?: number;
  /** Inverse-Instruct samples with 1.1. Sent as `repetition_penalty` (web-llm, vLLM, llama.cpp accept it). */
  repetitionPenalty?: number;
  /**
   * Return the `topLogprobs` most likely alternatives (1–5) with each generated token, e.g. to score
   * P(Yes) from the first token. An engine that cannot fails with code 'unsupported' rather than guess.
   */
  topLogprobs?: number;
  /** Constrain the output to JSON that matches this schema. */
  jsonSchema?: JsonSchema;
};

export type TopLogprob = { token: string; logprob: number };
export type TokenLogprob = { token: string; logprob: number; top: TopLogprob[] };

/** 'stop': the model ended or hit a stop string; 'length': max_tokens; 'other': anything else it reported. */
export type FinishReason = 'stop' | 'length' | 'other';

export type ChatUsage = {
  promptTokens: number;
  completionTokens: number;
  /** Tokens per second reading the prompt and writing the answer; null when the engine cannot tell. */
  prefillTokensPerSecond: number | null;
  decodeTokensPerSecond: number | null;
};

/** One completion. */
export type ChatChoice = {
  text: string;
  /** One entry per generated token, when the request asked for topLogprobs. */
  logprobs: TokenLogprob[] | null;
  finishReason: FinishReason;
};

/** The first completion's fields at the top (what a caller of n = 1 reads), and every completion in `choices`. */
export type ChatResult = ChatChoice & {
  /** At least one; `choices[0]` holds the same text, logprobs and finish reason as the top level. */
  choices: ChatChoice[];
  /** For the whole request (all its choices). */
  usage: ChatUsage;
};

export type ChatOptions = {
  signal?: AbortSignal;
  /** Streaming: each piece of text as it is generated (the UI batches them per frame). */
  onToken?: (delta: string) => void;
};

/** What an engine can do, known once it is ready (the pipeline adapts: e.g. no P(Yes) without logprobs). */
export type LlmCapabilities = {
  engine: 'webllm' | 'openai';
  model: string;
  /** Requests worth keeping in flight: 1 for web-llm (it serialises), the user's setting for a server. */
  concurrency: number;
  logprobs: boolean;
  jsonSchema: boolean;
  /** Most completions one request asks for (`n`); 1: the engine returns one per request. */
  maxChoices: number;
  /**
   * Whether the `n` completions of one request read the prompt once (a server: vLLM, SGLang) or once each
   * (web-llm resets its cache between choices). Only then does asking for n save work; otherwise separate
   * requests cost the same and can each start differently.
   */
  choicesShareThePrompt: boolean;
  /** Continues a trailing assistant message (prefill) instead of starting a new answer after it. */
  continuesAssistant: boolean;
};

/**
 * Why an engine cannot load or a request failed. The adapter that raises one writes its message and the
 * action the user can take; callers classify by code, never by message text.
 */
export type LlmErrorCode =
  // before loading (capabilities of this browser and GPU)
  | 'no-webgpu'
  | 'no-adapter'
  | 'fallback-adapter'
  | 'gpu-limits'
  | 'vram'
  // while loading or generating on the GPU
  | 'device-lost'
  | 'out-of-memory'
  | 'quota'
  | 'network'
  | 'model-not-found'
  // a server
  | 'cors'
  | 'auth'
  | 'bad-request'
  | 'server'
  | 'rate-limit'
  | 'bad-response'
  // either
  | 'unsupported'
  | 'not-loaded'
  | 'unknown';

export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    /** What the user can do about it, one sentence. */
    readonly action: string,
    /** Worth trying the same request again (after a device loss the engine reloads first). */
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof Error && error.name === 'LlmError' && 'code' in error;
}

/** Whether the request asks the engine to continue its last message, the assistant's (see ChatRequest). */
export function isPrefill(request: ChatRequest): boolean {
  return request.messages.at(-1)?.role === 'assistant';
}

/**
 * How many completions to ask the engine for: the request's `n`, at most `maxChoices`. Throws
 * LlmError('bad-request') for an `n` that is not a positive integer, and for n > 1 when the caller listens
 * with onToken (a stream carries one choice, and a caller that streams shows one text).
 */
export function choicesToAsk(request: ChatRequest, maxChoices: number, withOnToken: boolean): number {
  const n = request.n ?? 1;
  if (!Number.isInteger(n) || n < 1)
    throw new LlmError('bad-request', `A request asks for ${n} completions.`, 'Ask for a whole number, 1 or more.');
  if (n > 1 && withOnToken)
    throw new LlmError(
      'bad-request',
      `A streamed request asks for ${n} completions; a stream carries one.`,
      'Ask for several completions without onToken, or for one with it.',
    );
  return Math.min(n, Math.max(1, maxChoices));
}

/** A result whose top level is its first choice. */
export function chatResult(choices: [ChatChoice, ...ChatChoice[]], usage: ChatUsage): ChatResult {
  const [first] = choices;
  return { text: first.text, logprobs: first.logprobs, finishReason: first.finishReason, choices, usage };
}

/** A model the user can pick for the in-browser engine: the catalog is data (adapters/llm/webllm/catalog.ts). */
export type CatalogModel = {
  /** e.g. "Qwen2.5-Coder-1.5B-Instruct": a family; the quantization is chosen per GPU. */
  family: string;
  label: string;
  /** Written for code (the pipeline's default) or a small general instruct model. */
  kind: 'coder' | 'general';
  parameters: string;
  /** Per quantization: web-llm's model id, GPU memory it needs and roughly what it downloads. */
  variants: Partial<Record<Quantization, { modelId: string; vramMB: number; downloadMB: number }>>;
};

/** q4f16_1 needs the adapter feature shader-f16; q4f32_1 runs everywhere and needs more memory. */
export type Quantization = 'q4f16_1' | 'q4f32_1';

/** What this browser's WebGPU offers, as far as the page can tell before loading anything. */
export type GpuReport =
  | { ok: false; error: { code: LlmErrorCode; message: string; action: string } }
  | {
      ok: true;
      quantization: Quantization;
      /** Problems that let a load be tried anyway (a software adapter: it will be very slow). */
      warnings: { code: LlmErrorCode; message: string; action: string }[];
      adapter: { vendor: string; architecture: string; description: string; fallback: boolean };
      features: { shaderF16: boolean };
      limits: {
        maxComputeWorkgroupStorageSize: number;
        maxStorageBuffersPerShaderStage: number;
        maxBufferSize: number;
      };
    };

/** Loading a model: first its weights are downloaded (or found in the cache), then put on the GPU. */
export type LoadProgress = {
  phase: 'download' | 'load';
  /** 0..1 of this phase. */
  fraction: number;
  /** Download only; null when unknown. */
  bytesDone: number | null;
  bytesTotal: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
  /** The engine's own words, for the detail line. */
  text: string;
};

export type CachedModel = { modelId: string; bytes: number | null };
export type StorageReport = { usage: number | null; quota: number | null; persisted: boolean };

/** Which LLM the user picked; stored, so a reload comes back to it. The server's key lives only here. */
export type EngineChoice =
  | { kind: 'none' }
  | { kind: 'webllm'; family: string }
  | { kind: 'openai'; baseUrl: string; apiKey: string; model: string; concurrency: number };
