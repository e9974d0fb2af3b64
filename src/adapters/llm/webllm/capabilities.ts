/**
 * Whether this browser's WebGPU can run web-llm, decided from plain facts (gpuProbe.ts gathers them) so
 * every branch is tested in Node. We check before loading because web-llm checks late: it downloads the
 * model's config and library first, and only then asks for an adapter (docs/llm.md, "Before loading":
 * without a network it fails with "Failed to fetch" before it ever looks at the GPU). Order of checks, first
 * failure wins:
 * no navigator.gpu → no adapter → limits below what web-llm's runtime requests → (ok) with a warning for a
 * software (fallback) adapter, which works but is far too slow for real use.
 * Every problem says what the user can do, and the way out that needs no GPU (an OpenAI-compatible server).
 */
import type { GpuReport, LlmErrorCode, Quantization } from '../../../domain/llm.ts';

/** What the page can see of WebGPU, without creating a device. */
export type GpuFacts = {
  secureContext: boolean;
  hasWebGpu: boolean;
  /** Null when requestAdapter() returned null or threw (then `adapterError` says what it threw). */
  adapter: AdapterFacts | null;
  adapterError?: string;
};

export type AdapterFacts = {
  features: string[];
  limits: Record<string, number>;
  vendor: string;
  architecture: string;
  description: string;
  /** GPUAdapterInfo.isFallbackAdapter (or the older GPUAdapter.isFallbackAdapter); undefined when neither exists. */
  isFallbackAdapter: boolean | undefined;
};

type Problem = { code: LlmErrorCode; message: string; action: string };

const SERVER =
  'or use an OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM) instead of the in-browser engine';

/**
 * The limits web-llm 0.2.86's runtime requests when it creates its device (tvmjs detectGPUDevice): it
 * refuses to start below these. maxBufferSize and maxStorageBufferBindingSize have fallbacks down to
 * 256 MiB and 128 MiB, the WebGPU defaults, which every adapter meets; they are checked for completeness.
 */
export const REQUIRED_LIMITS = {
  maxComputeWorkgroupStorageSize: 32_768,
  maxStorageBuffersPerShaderStage: 10,
  maxBufferSize: 256 * 2 ** 20,
  maxStorageBufferBindingSize: 128 * 2 ** 20,
} as const;

export function evaluateGpu(facts: GpuFacts): GpuReport {
  if (!facts.hasWebGpu) return { ok: false, error: noWebGpu(facts.secureContext) };
  const adapter = facts.adapter;
  if (!adapter) return { ok: false, error: noAdapter(facts.adapterError) };
  const short = (Object.keys(REQUIRED_LIMITS) as (keyof typeof REQUIRED_LIMITS)[]).filter(
    (name) => (adapter.limits[name] ?? 0) < REQUIRED_LIMITS[name],
  );
  if (short.length > 0) return { ok: false, error: gpuLimits(short, adapter) };

  const fallback = isFallback(adapter);
  const shaderF16 = adapter.features.includes('shader-f16');
  const quantization: Quantization = shaderF16 ? 'q4f16_1' : 'q4f32_1';
  return {
    ok: true,
    quantization,
    warnings: fallback ? [fallbackWarning(adapter)] : [],
    adapter: {
      vendor: adapter.vendor,
      architecture: adapter.architecture,
      description: adapter.description,
      fallback,
    },
    features: { shaderF16 },
    limits: {
      maxComputeWorkgroupStorageSize: adapter.limits['maxComputeWorkgroupStorageSize'] ?? 0,
      maxStorageBuffersPerShaderStage: adapter.limits['maxStorageBuffersPerShaderStage'] ?? 0,
      maxBufferSize: adapter.limits['maxBufferSize'] ?? 0,
    },
  };
}

/**
 * A fallback adapter is the browser's CPU implementation of WebGPU (SwiftShader in Chromium). Browsers
 * say so in isFallbackAdapter; older Chromium builds did not, and their SwiftShader adapter names itself
 * in adapter.info.architecture, which is what this also looks at.
 */
function isFallback(adapter: AdapterFacts): boolean {
  return adapter.isFallbackAdapter === true || /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`);
}

function noWebGpu(secureContext: boolean): Problem {
  if (!secureContext) {
    return {
      code: 'no-webgpu',
      message: 'WebGPU is only offered to secure pages, and this page is not one (it is not https:// or localhost).',
      action: `Open Semiverse over https:// (or on localhost), ${SERVER}.`,
    };
  }
  return {
    code: 'no-webgpu',
    message: 'This browser does not offer WebGPU (navigator.gpu is missing), so it cannot run a model on the GPU.',
    action:
      'Use a current Chrome or Edge (version 113 or later; on Linux start it with --enable-unsafe-webgpu or turn on ' +
      `chrome://flags/#enable-unsafe-webgpu), Safari 26 or Firefox 141 on Windows, ${SERVER}.`,
  };
}

function noAdapter(thrown: string | undefined): Problem {
  return {
    code: 'no-adapter',
    message:
      'This browser has WebGPU but offers no GPU adapter' +
      (thrown ? ` (requestAdapter failed: ${thrown})` : '') +
      ': the GPU or its driver may be blocked, or hardware acceleration is turned off.',
    action:
      'Turn on "Use graphics acceleration when available" in the browser settings, update the GPU driver, and ' +
      `check chrome://gpu; on Linux try Chrome with --enable-unsafe-webgpu --enable-features=Vulkan, ${SERVER}.`,
  };
}

function gpuLimits(short: (keyof typeof REQUIRED_LIMITS)[], adapter: AdapterFacts): Problem {
  const detail = short.map((name) => `${name} is ${adapter.limits[name] ?? 0}, needs ${REQUIRED_LIMITS[name]}`);
  return {
    code: 'gpu-limits',
    message: `This GPU's WebGPU limits are below what the in-browser engine needs: ${detail.join('; ')}.`,
    action: `Try another browser or a newer GPU driver (or another GPU in this machine), ${SERVER}.`,
  };
}

function fallbackWarning(adapter: AdapterFacts): Problem {
  const name = [adapter.vendor, adapter.architecture].filter((s) => s !== '').join(' ') || 'a software adapter';
  return {
    code: 'fallback-adapter',
    message:
      `WebGPU here runs on the CPU (${name}, a software fallback), not on a GPU: a model loads, but generates ` +
      'text hundreds of times slower than on a GPU.',
    action: `Load anyway only to try it out; for real use enable the GPU in the browser (chrome://gpu shows why it is off), ${SERVER}.`,
  };
}
