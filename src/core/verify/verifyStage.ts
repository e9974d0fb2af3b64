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
  recheck?: PythonPort,
): Promise<void> {
  const pending = await storage.pendingFunctions(projectId);
  if (pending.length === 0) return;
  const runtime = await python.runtime(signal).catch((error: unknown) => {
    if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
    throw error;
  });
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
      let outcome: RunOutcome = await python.runDoctest(job, limitMs, signal);
      if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
      if (outcome.status === 'passed' && recheck) outcome = await confirm(recheck, program, outcome, limitMs, signal);
      await writes.add(outcomeRow(projectId, item, outcome, program, runtime, performance.now() - started));
    },
    signal,
  ).finally(() => writes.flush().catch(() => undefined));
  await writes.flush();
}

/** The exported tests, run again under another hash seed and random seed, must pass again. */
async function confirm(
  recheck: PythonPort,
  program: string,
  passed: Extract<RunOutcome, { status: 'passed' }>,
  limitMs: number,
  signal?: AbortSignal,
): Promise<RunOutcome> {
  const again = await recheck.runTests({ program, tests: passed.tests, seed: RECHECK_SEED }, limitMs, signal);
  if (recheck.unavailable) throw new PythonUnavailableError(recheck.unavailable);
  if (again.status === 'passed') return passed;
  return {
    status: 'nondeterministic',
    first: { seed: 0, hashSeed: 0, outcome: passed },
    second: { seed: RECHECK_SEED, hashSeed: RECHECK_HASH_SEED, outcome: again },
    detail: 'The doctests passed, but their tests did not when run again with another hash seed and random seed.',
  };
}

/** The random seed of the second run (the first uses 0) and its worker's PYTHONHASHSEED (see RunDeps.recheck). */
const RECHECK_SEED = 1;
const RECHECK_HASH_SEED = 1;

function outcomeRow(
  projectId: string,
  item: PendingFunction,
  outcome: RunOutcome,
  program: string,
  runtime: string,
  ms: number,
): OutcomeRow {
  const { id, path } = item;
  const durationMs = Math.round(ms);
  const finishedAt = Date.now();
  return { id, projectId, path, schemaVersion: SCHEMA_VERSION, outcome, program, runtime, durationMs, finishedAt };
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
