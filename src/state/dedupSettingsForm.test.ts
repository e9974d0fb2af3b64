import { describe, expect, it } from 'vitest';
import { checkDedupDraft } from './dedupSettingsForm.ts';

describe('checkDedupDraft', () => {
  it('takes values within the bounds, the bounds included', () => {
    expect(checkDedupDraft({ threshold: 0.85, numPerm: 128 })).toEqual({
      ok: true,
      settings: { threshold: 0.85, numPerm: 128 },
    });
    expect(checkDedupDraft({ threshold: 0.3, numPerm: 1024 })).toMatchObject({ ok: true });
    expect(checkDedupDraft({ threshold: 1, numPerm: 16 })).toMatchObject({ ok: true });
  });

  it('refuses values outside the bounds, empty fields and a fraction of a permutation, saying what fits', () => {
    expect(checkDedupDraft({ threshold: 1.2, numPerm: 250 })).toEqual({
      ok: false,
      message: 'The Jaccard threshold must be from 0.3 to 1.',
    });
    expect(checkDedupDraft({ threshold: 0.7, numPerm: 12.5 })).toEqual({
      ok: false,
      message: 'The number of permutations must be a whole number from 16 to 1024.',
    });
    const both = checkDedupDraft({ threshold: null, numPerm: undefined });
    expect(both.ok).toBe(false);
    expect(!both.ok && both.message).toMatch(/threshold.*permutations/);
    expect(checkDedupDraft({ threshold: Number.NaN, numPerm: 2000 }).ok).toBe(false);
  });
});
