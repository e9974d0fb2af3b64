/**
 * Stage 3 (natural mode): run each pending function's doctests against its standalone program, under the
 * project's per-function time limit, `python.size * 2` calls in flight. Functions come in file order, so
 * the file's source row (all its functions' analysis) is read once per file.
 */
import type { PendingFunction, PythonPort, StoragePort } from '../ports.ts';
import { SCHEMA_VERSION, type OutcomeRow, type SourceRow } from '../../domain/records.ts';
import type { RunOutcome } from '../../domain/verify.ts';
import { Batcher } from '../../lib/batcher.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import { entryPoint } from '../extract/composeProgram.ts';
import { PythonUnavailableError } from '../run/errors.ts';

export async function verifyStage(
  storage: StoragePort,
  python: PythonPort,
  projectId: string,
  limitMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const pending = await storage.pendingFunctions(projectId);
  const writes = new Batcher<OutcomeRow>((rows) => storage.saveOutcomes(projectId, rows));
  const sources = new SourceCache(storage, projectId);
  await forEachConcurrent(
    pending,
    python.size * 2,
    async (item) => {
      const source = await sources.get(item.path);
      const fn = source?.fns[item.index];
      const program = source?.programs[item.index] ?? null;
      if (!fn || program === null || fn.docstring === null) return; // nothing stored to run: stays pending
      const started = performance.now();
      const job = { program, docstring: fn.docstring, name: fn.name, entryPoint: entryPoint(fn) };
      const outcome: RunOutcome = await python.runDoctest(job, limitMs, signal);
      if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
      await writes.add(outcomeRow(projectId, item, outcome, program, performance.now() - started));
    },
    signal,
  );
  await writes.flush();
}

function outcomeRow(
  projectId: string,
  item: PendingFunction,
  outcome: RunOutcome,
  program: string,
  ms: number,
): OutcomeRow {
  const { id, path } = item;
  const durationMs = Math.round(ms);
  return { id, projectId, path, schemaVersion: SCHEMA_VERSION, outcome, program, durationMs, finishedAt: Date.now() };
}

/** The source rows of the last few files: pending functions arrive in file order. */
class SourceCache {
  #rows = new Map<string, Promise<SourceRow | undefined>>();

  constructor(
    private readonly storage: StoragePort,
    private readonly projectId: string,
  ) {}

  get(path: string): Promise<SourceRow | undefined> {
    let row = this.#rows.get(path);
    if (!row) {
      row = this.storage.fileSource(this.projectId, path);
      this.#rows.set(path, row);
      if (this.#rows.size > 8) this.#rows.delete(this.#rows.keys().next().value!);
    }
    return row;
  }
}
