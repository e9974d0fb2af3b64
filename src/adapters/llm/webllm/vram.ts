/**
 * Will a model fit in GPU memory? WebGPU does not say how much memory a GPU has, so this can only state
 * the model's need (web-llm's vram_required_MB, in the catalog) and warn when what the page CAN see makes
 * a fit unlikely:
 * - navigator.deviceMemory (the machine's RAM in GiB, rounded down, capped by the browser): an integrated
 *   GPU shares it, so a model needing most of it will not load unless there is a dedicated GPU;
 * - maxBufferSize below 1 GiB, which browsers report for GPUs with little memory (phones, old integrated
 *   chips); web-llm then falls back to smaller buffers, and models beyond ~1.5 GB rarely load there.
 * A warning lets the load go ahead (the guess can be wrong); running out of memory during the load is
 * still reported, as 'device-lost' or 'out-of-memory' (errors.ts).
 */
import type { GpuReport, LlmErrorCode } from '../../../domain/llm.ts';
import { findVariant } from './catalog.ts';

export type VramCheck = {
  needMB: number;
  /** One line for the model list: what it needs. */
  note: string;
  warning: { code: LlmErrorCode; message: string; action: string } | null;
};

const SHARED_RAM_SHARE = 0.6;
const SMALL_BUFFER_BYTES = 2 ** 30;
const SMALL_BUFFER_MODEL_MB = 1500;

export function checkVram(needMB: number, report: GpuReport, deviceMemoryGB?: number): VramCheck {
  const need = gb(needMB);
  const note = `Needs about ${need} GB of GPU memory (browsers do not tell how much a GPU has).`;
  if (!report.ok) return { needMB, note, warning: null };
  const action = 'Pick a smaller model, or load anyway if this machine has a dedicated GPU with enough memory.';
  if (deviceMemoryGB !== undefined && deviceMemoryGB > 0 && needMB > deviceMemoryGB * 1024 * SHARED_RAM_SHARE) {
    return {
      needMB,
      note,
      warning: {
        code: 'vram',
        message: `This model needs about ${need} GB of GPU memory and this device reports about ${deviceMemoryGB} GB of memory in all: it will likely run out of memory unless a dedicated GPU has that much.`,
        action,
      },
    };
  }
  if (report.limits.maxBufferSize < SMALL_BUFFER_BYTES && needMB > SMALL_BUFFER_MODEL_MB) {
    return {
      needMB,
      note,
      warning: {
        code: 'vram',
        message: `This model needs about ${need} GB of GPU memory, and this GPU allows buffers of only ${Math.round(report.limits.maxBufferSize / 2 ** 20)} MB, as GPUs with little memory do.`,
        action,
      },
    };
  }
  return { needMB, note, warning: null };
}

/** checkVram for a catalog model id, with this browser's navigator.deviceMemory; null for an unknown id. */
export function checkModelFit(modelId: string, report: GpuReport, deviceMemory = deviceMemoryGB()): VramCheck | null {
  const variant = findVariant(modelId);
  return variant ? checkVram(variant.vramMB, report, deviceMemory) : null;
}

/** navigator.deviceMemory (Chromium only, not in TypeScript's DOM types): undefined where the browser does not tell. */
export function deviceMemoryGB(): number | undefined {
  const value = (globalThis.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function gb(mb: number): string {
  return (mb / 1024).toFixed(1);
}
