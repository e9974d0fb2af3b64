/**
 * The samples a project makes itself (natural ones, and the LLM stages' under its current fingerprints), as
 * id → hashes of the records the export can write for it: an imported line with one of these ids is a
 * duplicate, allowed only when it is the very same record. An LLM sample has two records (its response is
 * the verified solution or the original code, as the person chooses at export), so two hashes.
 */
import { toJsonlRecord } from '../export/jsonlRecord.ts';
import { toLlmRecord } from '../export/llmRecord.ts';
import type { StoragePort } from '../ports.ts';
import type { ProjectRow } from '../../domain/records.ts';
import { hash53 } from '../../lib/hash.ts';
import { canonicalJson, type ImportRecord } from './parseLine.ts';

/** Files per page, as the export reads them. */
const PAGE_FILES = 200;

/** Equal for two records of the same sample, whatever the order of their fields. */
export function recordHash(record: object): string {
  return hash53(canonicalJson(record));
}

export async function ownSamples(
  storage: StoragePort,
  project: ProjectRow,
  signal?: AbortSignal,
): Promise<Map<string, string[]>> {
  const own = new Map<string, string[]>();
  const add = (record: ImportRecord | null): void => {
    if (record) own.set(record.id, [...(own.get(record.id) ?? []), recordHash(record)]);
  };
  const config = project.pipeline;
  const prints = config.mode === 'llm' ? config.fingerprints : null;
  for (let after: string | null = null; ;) {
    signal?.throwIfAborted();
    const page = await storage.passedPage(project.id, after, PAGE_FILES);
    for (const item of page.items) add(toJsonlRecord(item, project.name));
    if (config.mode === 'llm' && prints)
      for (const item of await storage.acceptedIn(project.id, page.paths, prints))
        for (const response of ['solution', 'original'] as const)
          add(toLlmRecord(item, project.name, config.model, prints.verify, response));
    if (page.lastPath === null) return own;
    after = page.lastPath;
  }
}
