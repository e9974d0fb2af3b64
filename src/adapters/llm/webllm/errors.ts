/**
 * web-llm's failures as LlmError codes with an action. They reach the page as STRINGS: the worker's
 * WebWorkerMLCEngineHandler posts `err.toString()` ("DeviceLostError: The WebGPU device was lost…"), and
 * the page's WebWorkerMLCEngine rejects with that string. So the name is read back from the string's
 * "Name: message" form, and classification is by that name (web-llm 0.2.86's error classes, lib/error.d.ts,
 * and the DOM's QuotaExceededError / NetworkError / AbortError).
 *
 * Where no name exists, the text is the only signal, and these few cases match it (each says why):
 * - tvmjs's detectGPUDevice throws plain `Error`s: "Unable to find a compatible GPU" and "Cannot initialize
 *   runtime because of requested <limit> exceeds limit";
 * - two different errors are both named "RangeError": web-llm's parameter check ("Make sure 0 < top_p <= 1")
 *   and the JS engine's allocation failure ("Array buffer allocation failed", "could not allocate memory").
 * A cancellation is not an error: an AbortError stays an AbortError.
 */
import { LlmError, type LlmErrorCode } from '../../../domain/llm.ts';

export type Stage = 'load' | 'chat';

type Rule = { code: LlmErrorCode; message: string; action: string; retryable?: boolean };

const SMALLER = 'Pick a smaller model (in the model list), close other tabs that use the GPU, and load it again.';
const RETRY =
  'Reload the page and try again; if it keeps failing, pick another model or use an OpenAI-compatible server.';

const BY_NAME: Record<string, Rule> = {
  DeviceLostError: {
    code: 'device-lost',
    message: 'The GPU device was lost, usually because it ran out of memory.',
    action: SMALLER,
    retryable: true,
  },
  // WebGPU's own out-of-memory error object (from an error scope), should the runtime ever rethrow it.
  GPUOutOfMemoryError: { code: 'out-of-memory', message: 'The GPU ran out of memory for the model.', action: SMALLER },
  QuotaExceededError: {
    code: 'quota',
    message: "The browser refused to store the model's files: this site's storage quota is used up.",
    action: 'Delete cached models you no longer need, allow persistent storage, or free disk space, then load again.',
  },
  NetworkError: network(),
  IntegrityError: {
    code: 'network',
    message: 'A downloaded model file did not match its checksum (a broken or tampered download).',
    action: 'Delete this model from the cache and load it again.',
  },
  // Ours (workerEngine.ts): the worker reported an error event and is gone; a crash, often out of memory.
  WorkerDied: {
    code: 'unknown',
    message: "The in-browser engine's worker stopped (a crash, often from running out of memory).",
    action: 'Reload the page; if it happens again, pick a smaller model.',
  },
  ModelNotFoundError: modelNotFound(),
  MissingModelError: modelNotFound(), // web-llm's MissingModelWasmError names itself "MissingModelError"
  SpecifiedModelNotFoundError: modelNotFound(),
  WebGPUNotAvailableError: noWebGpu(),
  WebGPUNotFoundError: noWebGpu(),
  ShaderF16SupportError: {
    code: 'unsupported',
    message: 'This model variant needs the GPU feature shader-f16, which this browser does not offer.',
    action: 'Pick the q4f32_1 variant of the model (Semiverse picks it when it sees no shader-f16).',
  },
  FeatureSupportError: {
    code: 'unsupported',
    message: 'This model needs a GPU feature this browser does not offer.',
    action: 'Pick another model, or use an OpenAI-compatible server.',
  },
  ContextWindowSizeExceededError: {
    code: 'bad-request',
    message: "The prompt is longer than the model's context window.",
    action: 'Shorten the input (very long functions are better skipped).',
  },
};

for (const name of ['ModelNotLoadedError', 'WorkerEngineModelNotLoadedError', 'ConfigurationNotInitializedError']) {
  BY_NAME[name] = {
    code: 'not-loaded',
    message: 'The model is not loaded (any more).',
    action: 'Load the model again.',
  };
}
// web-llm's checks of a request's parameters: a fault of the request the app built, not of the GPU.
for (const name of [
  'ConfigValueError',
  'MinValueError',
  'NonNegativeError',
  'InvalidNumberStringError',
  'DependencyError',
  'SeedTypeError',
  'InvalidResponseFormatError',
  'InvalidResponseFormatGrammarError',
  'GrammarMatcherInitError',
  'InvalidStreamOptionsError',
  'StreamingCountError',
  'MessageOrderError',
  'SystemMessageOrderError',
  'ContentTypeError',
  'UnsupportedRoleError',
  'UnsupportedFieldsError',
]) {
  BY_NAME[name] = {
    code: 'bad-request',
    message: 'The engine refused the request.',
    action: 'Report this as a bug in Semiverse.',
  };
}

/** The error names classified by name (errors.test.ts checks each is one web-llm or the browser really uses). */
export const CLASSIFIED_NAMES: readonly string[] = Object.keys(BY_NAME);

/** The name and message of whatever web-llm rejected with (a string across the worker, else an Error). */
export function describeRaw(raw: unknown): { name: string; message: string } {
  if (typeof raw === 'string') {
    const m = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(raw);
    return m ? { name: m[1]!, message: m[2]! } : { name: '', message: raw };
  }
  if (raw instanceof Error || raw instanceof DOMException) return { name: raw.name, message: raw.message };
  return { name: '', message: String(raw) };
}

/** An LlmError for a web-llm failure, or an AbortError for a cancellation. */
export function toLlmError(raw: unknown, stage: Stage): LlmError | DOMException {
  if (raw instanceof LlmError) return raw;
  const { name, message } = describeRaw(raw);
  if (name === 'AbortError') return new DOMException(message || 'Cancelled', 'AbortError');
  const rule = BY_NAME[name] ?? byText(name, message, stage);
  const detail = `${name ? `${name}: ` : ''}${message}`.slice(0, 300);
  return new LlmError(
    rule.code,
    `${rule.message} (web-llm: ${detail})`,
    stage === 'chat' && rule.code === 'device-lost' ? 'Try again: the model is being reloaded.' : rule.action,
    rule.retryable ?? false,
    { cause: raw },
  );
}

function byText(name: string, message: string, stage: Stage): Rule {
  // In a load, fetch() and Cache.add() are the only sources of a TypeError on web-llm's path ("Failed to
  // fetch", "Failed to execute 'add' on 'Cache': Request failed"); in a chat one would be a fault.
  if (name === 'TypeError' && stage === 'load') return network();
  if (name === 'RangeError' && /allocat|out of memory/i.test(message)) {
    return { code: 'out-of-memory', message: 'The browser ran out of memory for the model.', action: SMALLER };
  }
  if (name === 'RangeError' && message.startsWith('Make sure')) return BY_NAME['ConfigValueError']!;
  if (message.startsWith('Unable to find a compatible GPU')) {
    return {
      code: 'no-adapter',
      message: 'The engine found no GPU adapter.',
      action: 'Check chrome://gpu, or use an OpenAI-compatible server.',
    };
  }
  if (message.startsWith('Cannot initialize runtime because of requested')) {
    return {
      code: 'gpu-limits',
      message: "This GPU's WebGPU limits are too low for the engine.",
      action: 'Try another browser or GPU driver, or use an OpenAI-compatible server.',
    };
  }
  return { code: 'unknown', message: 'The in-browser engine failed.', action: RETRY };
}

function network(): Rule {
  return {
    code: 'network',
    message: "The model's files could not be downloaded: the network, or huggingface.co, is unreachable.",
    action:
      'Check the connection (huggingface.co and raw.githubusercontent.com must not be blocked), then load again; or use an OpenAI-compatible server.',
  };
}

function modelNotFound(): Rule {
  return {
    code: 'model-not-found',
    message: 'The model was not found where the engine looked for it.',
    action: 'Pick another model from the list; if it keeps happening, Semiverse needs an update.',
  };
}

function noWebGpu(): Rule {
  return {
    code: 'no-webgpu',
    message: 'WebGPU is not available in the engine.',
    action: 'Use a browser with WebGPU (a current Chrome or Edge), or use an OpenAI-compatible server.',
  };
}
