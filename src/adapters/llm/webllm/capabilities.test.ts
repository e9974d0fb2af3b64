import { describe, expect, it } from 'vitest';
import { evaluateGpu, type AdapterFacts, type GpuFacts } from './capabilities.ts';
import { probeGpu } from './gpuProbe.ts';
import { checkModelFit, checkVram } from './vram.ts';

/** What headless Chromium 156 with --enable-unsafe-webgpu reported here (test/e2e/webllm.test.ts checks it). */
const SWIFTSHADER: AdapterFacts = {
  features: ['subgroups', 'timestamp-query', 'float32-filterable'],
  limits: {
    maxComputeWorkgroupStorageSize: 32768,
    maxStorageBuffersPerShaderStage: 10,
    maxBufferSize: 1073741824,
    maxStorageBufferBindingSize: 1073741824,
    maxComputeInvocationsPerWorkgroup: 256,
  },
  vendor: 'google',
  architecture: 'swiftshader',
  description: '',
  isFallbackAdapter: true,
};

const DISCRETE: AdapterFacts = {
  ...SWIFTSHADER,
  features: ['shader-f16', 'subgroups'],
  limits: { ...SWIFTSHADER.limits, maxBufferSize: 4294967292, maxStorageBuffersPerShaderStage: 10 },
  vendor: 'nvidia',
  architecture: 'ada',
  isFallbackAdapter: false,
};

const facts = (adapter: AdapterFacts | null, extra: Partial<GpuFacts> = {}): GpuFacts => ({
  secureContext: true,
  hasWebGpu: true,
  adapter,
  ...extra,
});

describe('evaluateGpu', () => {
  it('no navigator.gpu: no-webgpu, naming browsers, the flag and the server option', () => {
    const report = evaluateGpu({ secureContext: true, hasWebGpu: false, adapter: null });
    expect(report).toMatchObject({ ok: false, error: { code: 'no-webgpu' } });
    if (report.ok) return;
    expect(report.error.message).toContain('navigator.gpu');
    expect(report.error.action).toMatch(/Chrome/);
    expect(report.error.action).toContain('--enable-unsafe-webgpu');
    expect(report.error.action).toContain('OpenAI-compatible');
  });

  it('an insecure page is told why WebGPU is missing', () => {
    const report = evaluateGpu({ secureContext: false, hasWebGpu: false, adapter: null });
    expect(report).toMatchObject({ ok: false, error: { code: 'no-webgpu', message: expect.stringMatching(/secure/) } });
  });

  it('no adapter: no-adapter, with what requestAdapter threw when it threw', () => {
    expect(evaluateGpu(facts(null))).toMatchObject({ ok: false, error: { code: 'no-adapter' } });
    const report = evaluateGpu(facts(null, { adapterError: 'OperationError: blocked' }));
    expect(report).toMatchObject({ ok: false, error: { message: expect.stringContaining('OperationError: blocked') } });
  });

  it('limits below what web-llm requests: gpu-limits naming each limit', () => {
    const low = { ...DISCRETE, limits: { ...DISCRETE.limits, maxComputeWorkgroupStorageSize: 16384 } };
    const report = evaluateGpu(facts(low));
    expect(report).toMatchObject({ ok: false, error: { code: 'gpu-limits' } });
    if (report.ok) return;
    expect(report.error.message).toContain('maxComputeWorkgroupStorageSize is 16384, needs 32768');
    const fewBuffers = { ...DISCRETE, limits: { ...DISCRETE.limits, maxStorageBuffersPerShaderStage: 8 } };
    expect(evaluateGpu(facts(fewBuffers))).toMatchObject({
      ok: false,
      error: { code: 'gpu-limits', message: expect.stringContaining('maxStorageBuffersPerShaderStage is 8, needs 10') },
    });
  });

  it('a GPU with shader-f16 and no warnings: q4f16_1', () => {
    expect(evaluateGpu(facts(DISCRETE))).toMatchObject({
      ok: true,
      quantization: 'q4f16_1',
      warnings: [],
      features: { shaderF16: true },
      adapter: { vendor: 'nvidia', fallback: false },
    });
  });

  it('SwiftShader: usable with a fallback warning, no shader-f16, so q4f32_1', () => {
    const report = evaluateGpu(facts(SWIFTSHADER));
    expect(report).toMatchObject({
      ok: true,
      quantization: 'q4f32_1',
      features: { shaderF16: false },
      adapter: { fallback: true, architecture: 'swiftshader' },
      limits: { maxComputeWorkgroupStorageSize: 32768, maxStorageBuffersPerShaderStage: 10, maxBufferSize: 2 ** 30 },
    });
    if (!report.ok) return;
    expect(report.warnings.map((w) => w.code)).toEqual(['fallback-adapter']);
    expect(report.warnings[0]!.action).toMatch(/anyway/);
  });

  it('an older Chromium that does not say isFallbackAdapter is still recognised by its SwiftShader name', () => {
    const report = evaluateGpu(facts({ ...SWIFTSHADER, isFallbackAdapter: undefined }));
    expect(report).toMatchObject({ ok: true, adapter: { fallback: true } });
  });
});

describe('checkVram', () => {
  const ok = evaluateGpu(facts(DISCRETE));

  it('always states the need, and warns only when what the page sees makes a fit unlikely', () => {
    expect(checkVram(1629.75, ok, 16)).toEqual({
      needMB: 1629.75,
      note: expect.stringContaining('1.6 GB'),
      warning: null,
    });
    expect(checkVram(5106.67, ok, 8)).toMatchObject({
      warning: { code: 'vram', message: expect.stringContaining('5.0 GB') },
    });
    expect(checkVram(5106.67, ok, undefined).warning).toBeNull();
  });

  it('warns for a big model when the GPU allows only small buffers', () => {
    const small = evaluateGpu(facts({ ...DISCRETE, limits: { ...DISCRETE.limits, maxBufferSize: 512 * 2 ** 20 } }));
    expect(checkVram(2504.76, small, undefined).warning).toMatchObject({
      code: 'vram',
      action: expect.stringMatching(/smaller model/),
    });
    expect(checkVram(944.62, small, undefined).warning).toBeNull();
  });
});

describe('checkModelFit', () => {
  it('looks the need up in the catalog', () => {
    const ok = evaluateGpu(facts(DISCRETE));
    expect(checkModelFit('Qwen2.5-Coder-7B-Instruct-q4f16_1-MLC', ok, 4)).toMatchObject({
      needMB: 5106.67,
      warning: { code: 'vram' },
    });
    expect(checkModelFit('Qwen2.5-Coder-0.5B-Instruct-q4f16_1-MLC', ok, 4)).toMatchObject({ warning: null });
    expect(checkModelFit('not-a-model', ok, 4)).toBeNull();
  });
});

describe('probeGpu', () => {
  const adapter = {
    features: new Set(['shader-f16', 'subgroups']),
    limits: { ...DISCRETE.limits, somethingElse: 'x' },
    info: { vendor: 'nvidia', architecture: 'ada', description: 'RTX', isFallbackAdapter: false },
  };

  it('describes the high-performance adapter, reading limits by name', async () => {
    const asked: unknown[] = [];
    const navigator = { gpu: { requestAdapter: async (o?: unknown) => (asked.push(o), adapter) } };
    const got = await probeGpu({ isSecureContext: true, navigator });
    expect(asked).toEqual([{ powerPreference: 'high-performance' }]);
    expect(got.adapter).toMatchObject({
      features: ['shader-f16', 'subgroups'],
      vendor: 'nvidia',
      isFallbackAdapter: false,
    });
    expect(got.adapter?.limits).not.toHaveProperty('somethingElse');
  });

  it('falls back to the default request, and reports a throw or a missing navigator.gpu', async () => {
    let calls = 0;
    const second = { gpu: { requestAdapter: async () => (++calls === 1 ? null : adapter) } };
    expect((await probeGpu({ isSecureContext: true, navigator: second })).adapter).not.toBeNull();
    const throwing = { gpu: { requestAdapter: () => Promise.reject(new DOMException('no', 'OperationError')) } };
    expect(await probeGpu({ isSecureContext: true, navigator: throwing })).toMatchObject({
      adapter: null,
      adapterError: 'OperationError: no',
    });
    expect(await probeGpu({ isSecureContext: false, navigator: {} })).toEqual({
      secureContext: false,
      hasWebGpu: false,
      adapter: null,
    });
  });
});
