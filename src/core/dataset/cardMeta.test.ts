import { describe, expect, it } from 'vitest';
import { cardLicense, frontMatter, sizeCategory } from './cardMeta.ts';

describe("the card's licence", () => {
  it('is the Hub id of the one licence found, whatever its -only/-or-later form', () => {
    expect(cardLicense(['MIT', 'MIT'])).toEqual({ license: 'mit', name: null, spdx: ['MIT'] });
    expect(cardLicense(['GPL-3.0-or-later', 'GPL-3.0'])).toEqual({ license: 'gpl-3.0', name: null, spdx: ['GPL-3.0'] });
    expect(cardLicense(['Apache-2.0']).license).toBe('apache-2.0');
  });

  it('is other when licences are mixed, unknown, or not on the Hub', () => {
    expect(cardLicense(['MIT', 'Apache-2.0'])).toEqual({
      license: 'other',
      name: 'mixed',
      spdx: ['Apache-2.0', 'MIT'],
    });
    expect(cardLicense([])).toEqual({ license: 'other', name: 'unknown', spdx: [] });
    expect(cardLicense(['MIT', null])).toEqual({ license: 'other', name: 'unknown', spdx: ['MIT'] });
    expect(cardLicense(['PSF-2.0'])).toEqual({ license: 'other', name: 'psf-2.0', spdx: ['PSF-2.0'] });
  });
});

describe('size categories', () => {
  it('follows the Hub buckets', () => {
    expect([0, 999, 1000, 9999, 10_000, 100_000, 999_999, 1_000_000].map(sizeCategory)).toEqual([
      'n<1K',
      'n<1K',
      '1K<n<10K',
      '1K<n<10K',
      '10K<n<100K',
      '100K<n<1M',
      '100K<n<1M',
      '1M<n<10M',
    ]);
  });
});

describe('front matter', () => {
  it('quotes what a project name could break, and lists a config per format with its splits', () => {
    const yaml = frontMatter({
      prettyName: 'Semiverse: "x": y\n---',
      license: { license: 'other', name: 'mixed', spdx: [] },
      samples: 12,
      formats: ['raw', 'messages'],
      files: [
        { path: 'raw/train.jsonl', format: 'raw', split: 'train', lines: 10 },
        { path: 'messages/train.jsonl', format: 'messages', split: 'train', lines: 10 },
        { path: 'messages/validation.jsonl', format: 'messages', split: 'validation', lines: 2 },
      ],
    });
    expect(yaml).toContain('pretty_name: "Semiverse: \\"x\\": y\\n---"');
    expect(yaml).toContain('license: other\nlicense_name: "mixed"');
    expect(yaml).toContain(
      '- config_name: messages\n  default: true\n  data_files:\n  - split: train\n    path: "messages/train.jsonl"\n  - split: validation\n    path: "messages/validation.jsonl"\n- config_name: raw\n',
    );
  });
});
