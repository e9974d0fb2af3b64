/**
 * The dataset card's YAML front matter, as the Hugging Face Hub reads it: `license` (a Hub licence id; one
 * licence found in the folder, else `other` with `license_name`), `size_categories`, `task_categories`,
 * `language`, `tags`, `pretty_name`, and `configs` (one per format, a `data_files` entry per split), so the
 * Hub's viewer and `load_dataset(repo, "<format>")` find every file. Strings are written JSON-quoted,
 * which YAML reads as double-quoted scalars: no project name can break the block.
 */
import type { DatasetFile } from './datasetInfo.ts';
import type { DatasetFormat } from './formats.ts';

/** SPDX id → the Hub's licence id, for those the Hub lists (hf.co/docs/hub/repositories-licenses). */
const HUB_LICENSES: Record<string, string> = {
  MIT: 'mit',
  'Apache-2.0': 'apache-2.0',
  'BSD-2-Clause': 'bsd-2-clause',
  'BSD-3-Clause': 'bsd-3-clause',
  'GPL-2.0': 'gpl-2.0',
  'GPL-3.0': 'gpl-3.0',
  'LGPL-2.1': 'lgpl-2.1',
  'LGPL-3.0': 'lgpl-3.0',
  'AGPL-3.0': 'agpl-3.0',
  'MPL-2.0': 'mpl-2.0',
  ISC: 'isc',
  Unlicense: 'unlicense',
  'CC0-1.0': 'cc0-1.0',
  'CC-BY-4.0': 'cc-by-4.0',
};

/** `GPL-3.0-or-later`, `GPL-3.0-only`, `GPL-3.0+` are GPL-3.0's text. */
function baseSpdx(id: string): string {
  return id.replace(/-(only|or-later)$|\+$/, '');
}

export type CardLicense = { license: string; name: string | null; spdx: string[] };

/** The card's licence from the SPDX ids found (null: a licence text nobody could name). */
export function cardLicense(found: readonly (string | null)[]): CardLicense {
  const spdx = [...new Set(found.filter((id): id is string => id !== null).map(baseSpdx))].sort();
  const unknown = found.some((id) => id === null);
  if (spdx.length === 1 && !unknown) {
    const hub = HUB_LICENSES[spdx[0]!];
    if (hub) return { license: hub, name: null, spdx };
    return { license: 'other', name: spdx[0]!.toLowerCase().replace(/[^a-z0-9.-]+/g, '-'), spdx };
  }
  return { license: 'other', name: spdx.length > 1 ? 'mixed' : 'unknown', spdx };
}

export function sizeCategory(n: number): string {
  const bounds: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
  ];
  return bounds.find(([limit]) => n < limit)?.[1] ?? '10M<n<100M';
}

export type FrontMatter = {
  prettyName: string;
  license: CardLicense;
  samples: number;
  formats: readonly DatasetFormat[];
  files: readonly DatasetFile[];
};

const q = (s: string): string => JSON.stringify(s);

export function frontMatter(meta: FrontMatter): string {
  const lines = ['---', `license: ${meta.license.license}`];
  if (meta.license.name) lines.push(`license_name: ${q(meta.license.name)}`);
  lines.push(`pretty_name: ${q(meta.prettyName)}`);
  lines.push('size_categories:', `- ${q(sizeCategory(meta.samples))}`);
  lines.push('task_categories:', '- text-generation');
  lines.push('language:', '- en');
  lines.push('tags:', ...['code', 'python', 'instruction-tuning', 'verified', 'semiverse'].map((t) => `- ${t}`));
  // The default config is what `load_dataset(repo)` gives: the chat format when there is one (every
  // trainer reads it), rather than raw lines whose fields differ between natural and LLM samples.
  const formats = meta.formats
    .filter((format) => meta.files.some((f) => f.format === format))
    .sort((a, b) => Number(b === 'messages') - Number(a === 'messages'));
  if (formats.length > 0) {
    lines.push('configs:');
    formats.forEach((format, i) => {
      lines.push(`- config_name: ${format}`);
      if (i === 0) lines.push('  default: true');
      lines.push('  data_files:');
      for (const file of meta.files.filter((f) => f.format === format))
        lines.push(`  - split: ${file.split}`, `    path: ${q(file.path)}`);
    });
  }
  lines.push('---', '');
  return lines.join('\n');
}
