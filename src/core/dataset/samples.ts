/**
 * Every exportable sample of a project, a page at a time: natural ones (functions whose doctests passed,
 * from `passedPage`), the LLM pipeline's (accepted under the project's current fingerprints, from
 * `acceptedIn`), and lines imported from an earlier export (`importedPage`). Invariants:
 * - memory holds one page (PAGE_FILES files, or PAGE_IMPORTED imported lines) and the ids of imported
 *   lines that repeat a sample of the project's own, never the whole dataset;
 * - pages come in a fixed order (own samples in file order, then imported lines by id), so two passes see
 *   the same samples in the same order;
 * - an id is yielded once: an imported line with the id of one of the project's own samples (the import
 *   allows that when the records are equal) is left to the project's own.
 */
import type { Sample } from '../../domain/dataset.ts';
import type { ProjectRow } from '../../domain/records.ts';
import { toJsonlRecord } from '../export/jsonlRecord.ts';
import { toLlmRecord } from '../export/llmRecord.ts';
import type { StoragePort } from '../ports.ts';

/**
 * Files per page: a page holds their function summaries, analyses, outcomes, and then their samples, their
 * screenings and their lines in every format, about 8 KB per sample at the peak (bench/exportHeap.ts); 50
 * files of 20 functions stay under 10 MB.
 */
const PAGE_FILES = 50;
/** Imported lines per page (a few KB each). */
const PAGE_IMPORTED = 500;

/** Which samples: natural, LLM, imported; and what an LLM sample's response is. */
export type SampleChoice = {
  natural: boolean;
  llm: boolean;
  imported: boolean;
  response: 'solution' | 'original';
};

export const ALL_SAMPLES: SampleChoice = { natural: true, llm: true, imported: true, response: 'solution' };

export type SamplePage = {
  samples: Sample[];
  /** Whether the page holds imported lines (they come after the project's own samples, never mixed). */
  imported: boolean;
  /** Natural functions that passed but have no instruction (a docstring of examples only). */
  withoutInstruction: number;
  /** Natural functions that passed but copy another (core/dedup): the one kept stands for them. */
  copies: number;
};

export async function* projectSamples(
  storage: StoragePort,
  project: ProjectRow,
  choice: SampleChoice,
  signal?: AbortSignal,
): AsyncGenerator<SamplePage> {
  const config = project.pipeline;
  const llm = choice.llm && config.mode === 'llm' && config.fingerprints ? config : null;
  const wanted = (method: Sample['method']) => (method === 'natural-doctest' ? choice.natural : choice.llm);
  /** Ids of the project's own samples that an imported line repeats. */
  const shadowed = new Set<string>();
  // Most projects have no imported lines: then no page needs looking up among them.
  const anyImported = choice.imported && (await storage.importedPage(project.id, null, 1)).rows.length > 0;
  if (choice.natural || llm) {
    for (let after: string | null = null; ;) {
      signal?.throwIfAborted();
      const page = await storage.passedPage(project.id, after, PAGE_FILES);
      const samples: Sample[] = [];
      let withoutInstruction = 0;
      if (choice.natural)
        for (const item of page.items) {
          const record = toJsonlRecord(item, project.name);
          if (record) samples.push(sampleOf(record));
          else withoutInstruction += 1;
        }
      if (llm) {
        const prints = llm.fingerprints!;
        for (const item of await storage.acceptedIn(project.id, page.paths, prints)) {
          const record = toLlmRecord(item, project.name, llm.model, prints.verify, choice.response);
          if (record) samples.push(sampleOf(record));
        }
      }
      if (anyImported && samples.length > 0) {
        const repeats = await storage.importedRows(samples.map((s) => `${project.id}|${s.id}`));
        for (const row of repeats) if (row) shadowed.add(row.id);
      }
      const copies = choice.natural ? page.duplicates : 0;
      if (samples.length > 0 || withoutInstruction > 0 || copies > 0)
        yield { samples, imported: false, withoutInstruction, copies };
      if (page.lastPath === null) break;
      after = page.lastPath;
    }
  }
  if (!anyImported) return;
  for (let after: string | null = null; ;) {
    signal?.throwIfAborted();
    const page = await storage.importedPage(project.id, after, PAGE_IMPORTED);
    const samples = page.rows.flatMap((row) => {
      const sample = importedSample(row.record);
      return sample && !shadowed.has(sample.id) && wanted(sample.method) ? [sample] : [];
    });
    if (samples.length > 0) yield { samples, imported: true, withoutInstruction: 0, copies: 0 };
    if (page.last === null) return;
    after = page.last;
  }
}

/** The fields every exported record has, whatever made it. */
type RecordLike = {
  id: string;
  method: Sample['method'];
  instruction: string;
  response: string;
  tests: string[];
  entry_point: string;
  source: { path: string };
};

export function sampleOf(record: RecordLike): Sample {
  return {
    id: record.id,
    method: record.method,
    path: record.source.path,
    instruction: record.instruction,
    response: record.response,
    tests: record.tests,
    entryPoint: record.entry_point,
    record: record as unknown as Record<string, unknown>,
  };
}

/** An imported line (checked against the export schema when stored and when read) as a sample. */
function importedSample(record: Record<string, unknown>): Sample | null {
  const method = record['method'];
  const source = record['source'];
  if (method !== 'natural-doctest' && method !== 'inverse-semi') return null;
  if (typeof source !== 'object' || source === null || typeof (source as { path?: unknown }).path !== 'string')
    return null;
  return sampleOf(record as unknown as RecordLike);
}

/** The original program of an LLM sample (its raw line carries it even when the response is the solution). */
export function originalCode(sample: Sample): string | null {
  if (sample.method !== 'inverse-semi') return null;
  const source = sample.record['source'] as { original_code?: unknown } | undefined;
  return typeof source?.original_code === 'string' ? source.original_code : null;
}
