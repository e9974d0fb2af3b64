import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { CATALOG, DEFAULT_FAMILY, findVariant, modelIdFor } from './catalog.ts';

const records = new Map(prebuiltAppConfig.model_list.map((record) => [record.model_id, record]));

describe('the WebLLM catalog, against the installed web-llm', () => {
  for (const model of CATALOG) {
    for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
      it(`${model.family} ${quantization} is a prebuilt model with its VRAM figure`, () => {
        const variant = model.variants[quantization];
        expect(variant).toBeDefined();
        const record = records.get(variant!.modelId);
        expect(record, `${variant!.modelId} is not in prebuiltAppConfig`).toBeDefined();
        expect(variant!.vramMB).toBe(record!.vram_required_MB);
        expect(variant!.modelId).toContain(quantization);
        expect(variant!.downloadMB).toBeGreaterThan(100);
      });
    }
  }

  it('offers the four Qwen2.5-Coder sizes and two or three general models, the 1.5B coder by default', () => {
    expect(CATALOG.filter((m) => m.kind === 'coder').map((m) => m.parameters)).toEqual(['0.5B', '1.5B', '3B', '7B']);
    expect(CATALOG.filter((m) => m.kind === 'general').length).toBeGreaterThanOrEqual(2);
    expect(modelIdFor(DEFAULT_FAMILY, 'q4f16_1')).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC');
    expect(new Set(CATALOG.map((m) => m.family)).size).toBe(CATALOG.length);
  });

  it('finds a model id back, and knows nothing of others', () => {
    expect(findVariant('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toMatchObject({
      quantization: 'q4f32_1',
      model: { family: 'Llama-3.2-1B-Instruct' },
    });
    expect(findVariant('gemma-2-2b-it-q4f16_1-MLC')).toBeNull();
    expect(modelIdFor('Nope', 'q4f32_1')).toBeNull();
  });
});
