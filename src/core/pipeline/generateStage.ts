/**
 * The LLM stages over a whole project. Functions go through their stages one after another (runFunction),
 * many functions at once: enough that while some wait on Python or storage, others hold the LLM's
 * requests, so the engine always has the next request ready (llmRunner.ts decides which goes next). The
 * number in flight is bounded, so memory stays flat however large the project.
 */
import type { ModelRef, PipelineSettings } from '../../domain/pipeline.ts';
import type { DedupRow } from '../../domain/dataset.ts';
import type { SourceRow } from '../../domain/records.ts';
import type { FileCode } from '../../domain/views.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import { composeProgram } from '../extract/composeProgram.ts';
import type { LlmClient, PendingFunction, PythonPort, StoragePort } from '../ports.ts';
import { PythonUnavailableError } from '../run/errors.ts';
import { fingerprints } from './fingerprints.ts';
import { LlmRunner } from './llmRunner.ts';
import { runFunction } from './runFunction.ts';
import type { FunctionInput } from './stage.ts';

export type GenerateDeps = {
  storage: StoragePort;
  python: PythonPort;
  recheck: PythonPort;
  llm: LlmClient;
};

/** Functions in flight: a few per request the engine serves at once, plus one per Python worker. */
export function functionsInFlight(llmConcurrency: number, pythonSize: number): number {
  return Math.min(64, Math.max(4, llmConcurrency * 3 + pythonSize * 2));
}

export async function generateStage(
  deps: GenerateDeps,
  projectId: string,
  model: ModelRef,
  settings: PipelineSettings,
  signal?: AbortSignal,
  onRunner?: (runner: LlmRunner) => void,
): Promise<void> {
  const { storage, python, recheck, llm } = deps;
  const runner = new LlmRunner(llm, storage, projectId, model);
  onRunner?.(runner);
  const prints = fingerprints(model, settings, llm.capabilities);
  const items = await storage.pipelineFunctions(projectId);
  const inputs = new InputCache(storage, projectId, duplicatesOf(await storage.dedupRows(projectId)));
  // The recheck worker is first needed by the oracle, after a select and a probe: start it now, so the
  // oracle does not wait for a Python to load (seconds in a browser) while the engine waits for the oracle.
  void recheck.runtime(signal).catch(() => undefined);
  const runtime = await python.runtime(signal).catch((error: unknown) => {
    if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
    throw error;
  });
  const stageDeps = { python, recheck, llm: runner, settings, runtime, ...(signal ? { signal } : {}) };
  await forEachConcurrent(
    items,
    functionsInFlight(llm.capabilities.concurrency, python.size),
    async (item) => {
      const input = await inputs.get(item);
      if (input) await runFunction(storage, input, prints, stageDeps);
    },
    signal,
  );
}

/** What a function's stages read, with the last few files' rows kept (functions arrive in file order). */
class InputCache {
  #files = new Map<string, Promise<{ source: SourceRow; code: FileCode | null } | null>>();

  constructor(
    private readonly storage: StoragePort,
    private readonly projectId: string,
    private readonly duplicates: ReadonlyMap<string, NonNullable<FunctionInput['duplicate']>> = new Map(),
  ) {}

  async get(item: PendingFunction): Promise<FunctionInput | null> {
    const file = await this.#file(item.path);
    const fn = file?.source.fns[item.index];
    if (!file || !fn) return null;
    // Natural mode composed programs only for functions with doctests; the rest are composed here.
    const composed =
      fn.program && file.code?.segments ? composeProgram(file.code.text, file.code.segments, fn.program) : null;
    const program = fn.program === null ? null : (file.source.programs[item.index] ?? composed);
    const doctest = fn.examples.length > 0 ? await this.storage.outcome(item.id) : undefined;
    const duplicate = this.duplicates.get(item.id);
    return {
      projectId: this.projectId,
      functionId: item.id,
      path: item.path,
      fn,
      program,
      doctest,
      ...(duplicate ? { duplicate } : {}),
    };
  }

  #file(path: string): Promise<{ source: SourceRow; code: FileCode | null } | null> {
    let entry = this.#files.get(path);
    if (!entry) {
      entry = Promise.all([
        this.storage.fileSource(this.projectId, path),
        this.storage.fileCode(this.projectId, path),
      ]).then(([source, code]) => (source ? { source, code } : null));
      this.#files.set(path, entry);
      if (this.#files.size > 16) this.#files.delete(this.#files.keys().next().value!);
    }
    return entry;
  }
}

/** What select needs to know of each copy (dedup rows of a project without any: none is a copy). */
function duplicatesOf(rows: readonly DedupRow[]): Map<string, NonNullable<FunctionInput['duplicate']>> {
  const byId = new Map(rows.map((row) => [row.functionId, row]));
  const copies = new Map<string, NonNullable<FunctionInput['duplicate']>>();
  for (const row of rows) {
    const kept = row.duplicateOf === null ? undefined : byId.get(row.duplicateOf);
    if (!kept || row.kind === null) continue;
    copies.set(row.functionId, {
      qualname: kept.qualname,
      path: kept.path,
      kind: row.kind,
      similarity: row.similarity ?? 1,
    });
  }
  return copies;
}
