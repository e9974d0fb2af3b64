/**
 * The models the in-browser engine offers, as data. Invariants (checked against web-llm's own
 * `prebuiltAppConfig` by catalog.test.ts, so the data cannot drift from the installed web-llm):
 * - every `modelId` is a model_id in web-llm 0.2.86's prebuilt list, and `vramMB` is its vram_required_MB;
 * - every family has both q4f16_1 (needs the adapter feature shader-f16) and q4f32_1 (runs everywhere);
 * - the default family is in the catalog.
 * This module imports nothing from web-llm: the app's main bundle carries the catalog, not the engine.
 *
 * `downloadMB` is an estimate, not a measurement (these machines cannot reach huggingface.co): parameters
 * × bits per weight (MLC's group quantization stores 4-bit weights plus one scale per 32 of them: 4.5 bits
 * for q4f16_1, 5 for q4f32_1; embeddings are quantized too), plus about 10 MB for the tokenizer and the
 * model library. The real files differ by a few percent.
 */
import type { CatalogModel, Quantization } from '../../../domain/llm.ts';

export const DEFAULT_FAMILY = 'Qwen2.5-Coder-1.5B-Instruct';

function variants(
  family: string,
  vram: { q4f16_1: number; q4f32_1: number },
  download: { q4f16_1: number; q4f32_1: number },
  idFamily = family,
): CatalogModel['variants'] {
  return {
    q4f16_1: { modelId: `${idFamily}-q4f16_1-MLC`, vramMB: vram.q4f16_1, downloadMB: download.q4f16_1 },
    q4f32_1: { modelId: `${idFamily}-q4f32_1-MLC`, vramMB: vram.q4f32_1, downloadMB: download.q4f32_1 },
  };
}

export const CATALOG: readonly CatalogModel[] = [
  {
    family: 'Qwen2.5-Coder-0.5B-Instruct',
    label: 'Qwen2.5 Coder 0.5B',
    kind: 'coder',
    parameters: '0.5B',
    variants: variants(
      'Qwen2.5-Coder-0.5B-Instruct',
      { q4f16_1: 944.62, q4f32_1: 1060.2 },
      { q4f16_1: 290, q4f32_1: 320 },
    ),
  },
  {
    family: 'Qwen2.5-Coder-1.5B-Instruct',
    label: 'Qwen2.5 Coder 1.5B',
    kind: 'coder',
    parameters: '1.5B',
    variants: variants(
      'Qwen2.5-Coder-1.5B-Instruct',
      { q4f16_1: 1629.75, q4f32_1: 1888.97 },
      { q4f16_1: 880, q4f32_1: 980 },
    ),
  },
  {
    family: 'Qwen2.5-Coder-3B-Instruct',
    label: 'Qwen2.5 Coder 3B',
    kind: 'coder',
    parameters: '3B',
    variants: variants(
      'Qwen2.5-Coder-3B-Instruct',
      { q4f16_1: 2504.76, q4f32_1: 2893.64 },
      { q4f16_1: 1750, q4f32_1: 1940 },
    ),
  },
  {
    family: 'Qwen2.5-Coder-7B-Instruct',
    label: 'Qwen2.5 Coder 7B',
    kind: 'coder',
    parameters: '7B',
    variants: variants(
      'Qwen2.5-Coder-7B-Instruct',
      { q4f16_1: 5106.67, q4f32_1: 5900.09 },
      { q4f16_1: 4300, q4f32_1: 4770 },
    ),
  },
  {
    family: 'Qwen2.5-1.5B-Instruct',
    label: 'Qwen2.5 1.5B (general)',
    kind: 'general',
    parameters: '1.5B',
    variants: variants('Qwen2.5-1.5B-Instruct', { q4f16_1: 1629.75, q4f32_1: 1888.97 }, { q4f16_1: 880, q4f32_1: 980 }),
  },
  {
    family: 'Llama-3.2-1B-Instruct',
    label: 'Llama 3.2 1B (general)',
    kind: 'general',
    parameters: '1.2B',
    variants: variants('Llama-3.2-1B-Instruct', { q4f16_1: 879.04, q4f32_1: 1128.82 }, { q4f16_1: 710, q4f32_1: 790 }),
  },
  {
    family: 'Llama-3.2-3B-Instruct',
    label: 'Llama 3.2 3B (general)',
    kind: 'general',
    parameters: '3.2B',
    variants: variants(
      'Llama-3.2-3B-Instruct',
      { q4f16_1: 2263.69, q4f32_1: 2951.51 },
      { q4f16_1: 1820, q4f32_1: 2020 },
    ),
  },
];

/** The web-llm model id of a family for this GPU's quantization, or null when the family is unknown. */
export function modelIdFor(family: string, quantization: Quantization): string | null {
  return CATALOG.find((m) => m.family === family)?.variants[quantization]?.modelId ?? null;
}

/** The catalog entry and quantization a web-llm model id belongs to, or null when it is not in the catalog. */
export function findVariant(
  modelId: string,
): { model: CatalogModel; quantization: Quantization; vramMB: number; downloadMB: number } | null {
  for (const model of CATALOG) {
    for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
      const variant = model.variants[quantization];
      if (variant?.modelId === modelId) return { model, quantization, ...variant };
    }
  }
  return null;
}
