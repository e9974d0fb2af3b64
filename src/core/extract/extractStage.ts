/**
 * Stage 2: every stored file that is still pending goes through the extractor (Python's ast, in the pool)
 * and its functions are stored. Files are processed `python.size * 2` at a time so the pool never waits
 * for the next file to be read from storage.
 */
import type { PythonPort, StoragePort } from '../ports.ts';
import type { FileExtraction } from '../ports.ts';
import { Batcher } from '../../lib/batcher.ts';
import { forEachConcurrent } from '../../lib/concurrency.ts';
import { PythonUnavailableError } from '../run/errors.ts';
import { toRows } from './toRows.ts';

export async function extractStage(
  storage: StoragePort,
  python: PythonPort,
  projectId: string,
  localModules: string[],
  signal?: AbortSignal,
): Promise<void> {
  const pending = await storage.pendingFiles(projectId);
  const T = { read: 0, py: 0, write: 0, rows: 0 };
  const writes = new Batcher<FileExtraction>(async (results) => { const t = performance.now(); await storage.saveExtractions(projectId, results); T.write += performance.now() - t; }, 50);
  await forEachConcurrent(
    pending,
    python.size * 2,
    async (path) => {
      let t = performance.now();
      const file = await storage.fileText(projectId, path);
      T.read += performance.now() - t; t = performance.now();
      if (!file) return;
      const reply = await python.extract({ path, text: file.text, localModules }, signal);
      // A pool that cannot run Python at all must not turn every file into a failure: stop, keep them pending.
      if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
      T.py += performance.now() - t; t = performance.now();
      const rows = toRows(file, reply, Date.now());
      T.rows += performance.now() - t;
      await writes.add(rows);
    },
    signal,
  );
  await writes.flush();
  console.log('EXTRACT TIMES', JSON.stringify(T));
}
