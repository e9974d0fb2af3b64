/**
 * Gathers what the page can see of WebGPU (capabilities.ts decides what it means). Cheap: it asks for an
 * adapter but never creates a device, so nothing is allocated on the GPU. Works in a Window and in a
 * worker. The adapter asked for first is the one web-llm's runtime will ask for (powerPreference
 * 'high-performance', tvmjs detectGPUDevice); the default request is the fallback, since powerPreference
 * is only a hint and some browsers answer one and not the other.
 *
 * TypeScript's DOM library has no WebGPU types in this project (no @webgpu/types), so the few members
 * read here are described structurally and every value is checked before use.
 */
import type { AdapterFacts, GpuFacts } from './capabilities.ts';

type AdapterLike = {
  features?: Iterable<unknown>;
  limits?: object;
  info?: { vendor?: unknown; architecture?: unknown; description?: unknown; isFallbackAdapter?: unknown };
  isFallbackAdapter?: unknown;
};
type GpuLike = { requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null> };

/** The standard limits web-llm or the report use (limits are getters on a prototype: they are read by name). */
const LIMIT_NAMES = [
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeInvocationsPerWorkgroup',
] as const;

export async function probeGpu(
  scope: { isSecureContext?: boolean; navigator?: unknown } = globalThis,
): Promise<GpuFacts> {
  const secureContext = scope.isSecureContext === true;
  const gpu = (scope.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu || typeof gpu.requestAdapter !== 'function') return { secureContext, hasWebGpu: false, adapter: null };
  try {
    const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? (await gpu.requestAdapter());
    return { secureContext, hasWebGpu: true, adapter: adapter ? describe(adapter) : null };
  } catch (error) {
    const adapterError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { secureContext, hasWebGpu: true, adapter: null, adapterError };
  }
}

function describe(adapter: AdapterLike): AdapterFacts {
  const limits: Record<string, number> = {};
  const source = (adapter.limits ?? {}) as Record<string, unknown>;
  for (const name of LIMIT_NAMES) {
    const value = source[name];
    if (typeof value === 'number' && Number.isFinite(value)) limits[name] = value;
  }
  const features = [...(adapter.features ?? [])].filter((f): f is string => typeof f === 'string');
  const info = adapter.info ?? {};
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
  return {
    features,
    limits,
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    description: text(info.description),
    isFallbackAdapter: typeof fallback === 'boolean' ? fallback : undefined,
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
