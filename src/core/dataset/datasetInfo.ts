/**
 * Where each file of an exported dataset goes, and LLaMA-Factory's `dataset_info.json` for them (its
 * data/README.md): one entry per file written, naming the file (relative to the folder holding
 * dataset_info.json, which is LLaMA-Factory's `dataset_dir`), its `formatting` and every column it reads.
 * LLaMA-Factory sets each column it is not told about to None once `columns` is given, so every column
 * is named; the OpenAI-style `messages` file is `sharegpt` with role `tags`, as its README says.
 */
import type { DatasetFormat } from './formats.ts';
import type { Split } from './split.ts';

export type DatasetFile = { path: string; format: DatasetFormat; split: Split; lines: number };

export function dataFilePath(format: DatasetFormat, split: Split): string {
  return `${format}/${split}.jsonl`;
}

type InfoEntry = {
  file_name: string;
  formatting: 'alpaca' | 'sharegpt';
  columns: Record<string, string>;
  tags?: Record<string, string>;
};

/** `name`: a prefix for the entries (the project), so several exports can share one dataset_info.json. */
export function datasetInfo(files: readonly DatasetFile[], name: string, system: boolean): Record<string, InfoEntry> {
  const prefix = infoName(name);
  const info: Record<string, InfoEntry> = {};
  for (const file of files) {
    const key = `${prefix}_${file.format}${file.split === 'train' ? '' : `_${file.split}`}`;
    info[key] = { file_name: file.path, ...entryFor(file.format, system) };
  }
  return info;
}

function entryFor(format: DatasetFormat, system: boolean): Omit<InfoEntry, 'file_name'> {
  switch (format) {
    case 'raw':
      return { formatting: 'alpaca', columns: { prompt: 'instruction', response: 'response' } };
    case 'alpaca':
      return {
        formatting: 'alpaca',
        columns: { prompt: 'instruction', query: 'input', response: 'output', ...(system ? { system: 'system' } : {}) },
      };
    case 'sharegpt':
      // A system prompt is the first message (`from: system`), which LLaMA-Factory takes as the system.
      return { formatting: 'sharegpt', columns: { messages: 'conversations' } };
    case 'messages':
      return {
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: {
          role_tag: 'role',
          content_tag: 'content',
          user_tag: 'user',
          assistant_tag: 'assistant',
          system_tag: 'system',
        },
      };
  }
}

/** A dataset name LLaMA-Factory's CLI takes (`dataset: a,b`): lower case, letters, digits, underscores. */
export function infoName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return `semiverse_${slug || 'project'}`;
}
