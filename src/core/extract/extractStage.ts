/**
 * Stage 2: every stored file that is still pending goes through the extractor (Python's ast, in the pool)
 * and its functions are stored. `python.size * 2` files are in flight, so a worker never waits for the
 * next file to be read from storage.
 */
import type { FileExtraction, PythonPort, StoragePort } from '../ports.ts';
import { Batcher } from '../../lib/batcher.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import { PythonUnavailableError } from '../run/errors.ts';
import { toRows } from './toRows.ts';

/** Files per write transaction: few transactions, each small enough to commit quickly. */
const WRITE_BATCH = 50;

export async function extractStage(
  storage: StoragePort,
  python: PythonPort,
  projectId: string,
  localModules: string[],
  signal?: AbortSignal,
): Promise<void> {
  const pending = await storage.pendingFiles(projectId);
  const writes = new Batcher<FileExtraction>((results) => storage.saveExtractions(projectId, results), WRITE_BATCH);
  try {
    await forEachConcurrent(
      pending,
      python.size * 2,
      async (path) => {
        const file = await storage.fileText(projectId, path);
        if (!file) return;
        const reply = await python.extract({ path, text: file.text, localModules }, signal);
        // A pool that cannot run Python at all must not turn every file into a failure: stop, keep them pending.
        if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
        await writes.add(toRows(file, reply));
      },
      signal,
    );
  } finally {
    // Cancelled or not, what finished is stored before the stage returns: nothing lands after the run ends.
    await writes.flush().catch(() => undefined);
  }
  await writes.flush();
}
