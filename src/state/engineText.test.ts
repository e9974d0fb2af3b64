import { describe, expect, it } from 'vitest';
import type { CatalogModel, LlmCapabilities, LoadProgress } from '../domain/llm.ts';
import { bytes, engineStatusText, progressText } from './engineText.ts';

const MODEL: CatalogModel = {
  family: 'Qwen2.5-Coder-1.5B-Instruct',
  label: 'Qwen2.5 Coder 1.5B',
  kind: 'coder',
  parameters: '1.5B',
  variants: {
    q4f16_1: { modelId: 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', vramMB: 1630, downloadMB: 880 },
    q4f32_1: { modelId: 'Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', vramMB: 2100, downloadMB: 1100 },
  },
};
const WEBLLM = { kind: 'webllm', family: MODEL.family } as const;
const progress = (p: Partial<LoadProgress>): LoadProgress => ({
  phase: 'download',
  fraction: 0.25,
  bytesDone: null,
  bytesTotal: null,
  bytesPerSecond: null,
  etaSeconds: null,
  text: '',
  ...p,
});

describe('engine status text', () => {
  it('says natural mode when no engine is chosen', () => {
    expect(engineStatusText({ state: 'none' }, { kind: 'none' })).toMatch(/natural mode/);
  });

  it('says why WebGPU cannot run a model, and what to do', () => {
    const problem = { code: 'no-adapter', message: 'No GPU adapter.', action: 'Enable WebGPU.' } as const;
    expect(engineStatusText({ state: 'unavailable', problem }, WEBLLM)).toBe(
      'WebGPU cannot run a model here: No GPU adapter. Enable WebGPU.',
    );
  });

  it('names the quantization, the memory it needs and whether it is downloaded', () => {
    const idle = { state: 'idle', model: MODEL, warnings: [], cached: false } as const;
    const f32 = engineStatusText({ ...idle, modelId: MODEL.variants.q4f32_1!.modelId }, WEBLLM);
    expect(f32).toBe('Qwen2.5 Coder 1.5B (q4f32_1, needs about 2.1 GB of GPU memory): not downloaded (about 1.1 GB).');
    const cached = engineStatusText({ ...idle, modelId: MODEL.variants.q4f16_1!.modelId, cached: true }, WEBLLM);
    expect(cached).toMatch(/q4f16_1, needs about 1.6 GB.*downloaded, not loaded/);
  });

  it('adds each warning with its action', () => {
    const warning = { code: 'fallback-adapter', message: 'Software GPU.', action: 'Expect it to be slow.' } as const;
    const text = engineStatusText(
      { state: 'idle', model: MODEL, modelId: MODEL.variants.q4f32_1!.modelId, warnings: [warning], cached: false },
      WEBLLM,
    );
    expect(text).toMatch(/Warning: Software GPU\. Expect it to be slow\.$/);
  });

  it('shows a failure with its code, message and action', () => {
    const problem = {
      code: 'network',
      message: 'The weights could not be downloaded.',
      action: 'Check the connection.',
    } as const;
    expect(engineStatusText({ state: 'failed', problem }, WEBLLM)).toBe(
      'Engine failed (network): The weights could not be downloaded. Check the connection.',
    );
  });

  it('tells a server without log-probabilities apart', () => {
    const choice = {
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:8080/v1',
      apiKey: '',
      model: 'm',
      concurrency: 4,
    } as const;
    const capabilities: LlmCapabilities = {
      ...{ engine: 'openai', model: 'm', concurrency: 4, logprobs: false, jsonSchema: true },
      ...{ maxChoices: 1, choicesShareThePrompt: false, continuesAssistant: false },
    };
    expect(engineStatusText({ state: 'ready', capabilities }, choice)).toBe(
      'Ready: m at http://127.0.0.1:8080/v1, 4 at a time, without log-probabilities (no P(Yes) judging).',
    );
    expect(engineStatusText({ state: 'releasing', capabilities }, choice)).toBe(
      'Letting m go: pausing the run that uses it…',
    );
  });
});

describe('load progress text', () => {
  it('gives bytes, speed and time left while downloading', () => {
    const text = progressText(
      progress({ bytesDone: 300 * 2 ** 20, bytesTotal: 1.2 * 2 ** 30, bytesPerSecond: 8 * 2 ** 20, etaSeconds: 115 }),
    );
    expect(text).toBe('downloading, 25 %, 300 MB of 1.2 GB, 8.0 MB/s, about 1 min 55 s left');
  });

  it('leaves out what the engine did not tell', () => {
    expect(progressText(progress({}))).toBe('downloading, 25 %');
    expect(progressText(progress({ phase: 'load', fraction: 0.5 }))).toBe('loading onto the GPU, 50 %');
    expect(progressText(null)).toBe('starting…');
  });

  it('formats sizes', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(bytes(945 * 2 ** 20)).toBe('945 MB');
  });
});
