import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { IntegrityError } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { isLlmError, type LlmError } from '../../../domain/llm.ts';
import { CLASSIFIED_NAMES, describeRaw, toLlmError } from './errors.ts';

/** What the page receives from the worker: web-llm's handler posts `err.toString()`. */
const acrossWorker = (error: Error): string => error.toString();

/**
 * web-llm exports none of its error classes but IntegrityError, so these are the strings its classes make
 * (name and message copied from lib/index.js of 0.2.86); the first test checks the names are still there.
 */
const WEBLLM = {
  deviceLost:
    'DeviceLostError: The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.',
  modelNotFound:
    'ModelNotFoundError: Cannot find model record in appConfig for x. Please check if the model ID is correct and included in the model_list configuration.',
  missingWasm: 'MissingModelError: Missing `model_lib` for the model with ID "x". Please ensure that…',
  noWebGpu:
    'WebGPUNotAvailableError: WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine. …',
  shaderF16:
    'ShaderF16SupportError: This model requires WebGPU extension shader-f16, which is not enabled in this browser. …',
  notLoaded: 'ModelNotLoadedError: Model not loaded before trying to complete ChatCompletionRequest. …',
  context:
    'ContextWindowSizeExceededError: Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096',
  seed: 'SeedTypeError: `seed` should be an integer, but got 1.5',
  topP: 'RangeError: Make sure 0 < top_p <= 1.',
};

const SOURCE = readFileSync(createRequire(import.meta.url).resolve('@mlc-ai/web-llm'), 'utf8');
/** Names the browser gives (DOMException, WebGPU) and the one workerEngine.ts gives a dead worker. */
const OTHER_NAMES = ['QuotaExceededError', 'NetworkError', 'GPUOutOfMemoryError', 'WorkerDied'];

function llm(raw: unknown, stage: 'load' | 'chat' = 'load'): LlmError {
  const error = toLlmError(raw, stage);
  if (!isLlmError(error)) throw new Error(`not an LlmError: ${String(error)}`);
  return error;
}

describe('toLlmError, on web-llm 0.2.86 errors as they cross the worker', () => {
  it('classifies only by names web-llm (or the browser) really gives its errors', () => {
    for (const name of CLASSIFIED_NAMES.filter((n) => !OTHER_NAMES.includes(n))) {
      expect(SOURCE.includes(`this.name = "${name}"`), name).toBe(true);
    }
  });

  it('device lost: retryable, with the smaller-model action when loading', () => {
    const error = llm(WEBLLM.deviceLost);
    expect(error).toMatchObject({
      code: 'device-lost',
      retryable: true,
      action: expect.stringMatching(/smaller model/),
    });
    expect(error.message).toContain('DeviceLostError');
    expect(llm(WEBLLM.deviceLost, 'chat').action).toMatch(/reloaded/);
  });

  it('classifies by the error class name web-llm gives', () => {
    expect(llm(WEBLLM.modelNotFound).code).toBe('model-not-found');
    expect(llm(WEBLLM.missingWasm).code).toBe('model-not-found');
    expect(llm(WEBLLM.noWebGpu).code).toBe('no-webgpu');
    expect(llm(WEBLLM.shaderF16).code).toBe('unsupported');
    expect(llm(WEBLLM.notLoaded, 'chat').code).toBe('not-loaded');
    expect(llm(WEBLLM.context, 'chat').code).toBe('bad-request');
    expect(llm(WEBLLM.seed, 'chat').code).toBe('bad-request');
    expect(llm(acrossWorker(new IntegrityError('u', 'a', 'b'))).code).toBe('network');
  });

  it('storage quota and network failures from the browser', () => {
    expect(llm(acrossWorker(new DOMException('Quota exceeded.', 'QuotaExceededError')))).toMatchObject({
      code: 'quota',
      action: expect.stringMatching(/Delete cached models/),
    });
    const offline = llm('TypeError: Failed to fetch');
    expect(offline).toMatchObject({ code: 'network', retryable: false });
    expect(offline.message).toContain('Failed to fetch');
    expect(offline.cause).toBe('TypeError: Failed to fetch');
    expect(llm("TypeError: Failed to execute 'add' on 'Cache': Request failed").code).toBe('network');
    // In a chat a TypeError is a fault, not the network.
    expect(llm("TypeError: Cannot read properties of undefined (reading 'x')", 'chat').code).toBe('unknown');
  });

  it('tells the two RangeErrors apart, and reads tvmjs plain-text failures', () => {
    expect(llm('RangeError: Array buffer allocation failed').code).toBe('out-of-memory');
    expect(llm(WEBLLM.topP, 'chat').code).toBe('bad-request');
    expect(llm('Error: Unable to find a compatible GPU. This issue might be because…').code).toBe('no-adapter');
    expect(
      llm(
        'Error: Cannot initialize runtime because of requested maxComputeWorkgroupStorageSize exceeds limit. requested=32768, limit=16384. ',
      ).code,
    ).toBe('gpu-limits');
  });

  it('a cancellation stays an AbortError; anything else is unknown with its words kept', () => {
    expect(toLlmError(new DOMException('stop', 'AbortError'), 'chat')).toMatchObject({ name: 'AbortError' });
    expect(toLlmError('AbortError: signal is aborted without reason', 'load')).toMatchObject({ name: 'AbortError' });
    const odd = llm({ weird: true }, 'chat');
    expect(odd.code).toBe('unknown');
    expect(odd.message).toContain('[object Object]');
  });

  it('reads "Name: message" strings and leaves other strings whole', () => {
    expect(describeRaw('DeviceLostError: lost: twice')).toEqual({ name: 'DeviceLostError', message: 'lost: twice' });
    expect(describeRaw('Uknown msg kind foo')).toEqual({ name: '', message: 'Uknown msg kind foo' });
  });
});
