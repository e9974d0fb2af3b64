/**
 * Stage 3 (natural mode): run each pending function's doctests against its standalone program, under the
 * project's per-function time limit, `python.size` at a time plus one waiting per worker.
 */
import type { PythonPort, StoragePort } from '../ports.ts';
import { SCHEMA_VERSION, type OutcomeRow } from '../../domain/records.ts';
import { Batcher } from '../../lib/batcher.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import { PythonUnavailableError } from '../run/errors.ts';
import { entryPoint } from '../extract/composeProgram.ts';

export async function verifyStage(
  storage: StoragePort,
  python: PythonPort,
  projectId: string,
  limitMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const pending = await storage.pendingFunctions(projectId);
  const writes = new Batcher<OutcomeRow>((rows) => storage.saveOutcomes(projectId, rows));
  await forEachConcurrent(
    pending,
    python.size * 2,
    async (id) => {
      const source = await storage.source(id);
      if (!source) return;
      const { fn, program } = source;
      const started = performance.now();
      const outcome =
        program === null || fn.docstring === null
          ? ({ status: 'not_runnable', module: '', detail: 'no standalone program was built' } as const)
          : await python.runDoctest({ program, docstring: fn.docstring, name: fn.name, entryPoint: entryPoint(fn) }, limitMs, signal);
      if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
      await writes.add({
        id,
        projectId,
        schemaVersion: SCHEMA_VERSION,
        outcome,
        program,
        durationMs: Math.round(performance.now() - started),
        finishedAt: Date.now(),
      });
    },
    signal,
  );
  await writes.flush();
}
