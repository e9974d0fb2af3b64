/**
 * The composition root: the one place that picks adapters for the ports. Everything else receives these
 * through context (see context.ts), so tests can hand in their own.
 */
import { sourcesFromDrop } from '../adapters/files/dropped.ts';
import { folderFromFileList } from '../adapters/files/picked.ts';
import { folderFromZip } from '../adapters/files/zip.ts';
import { createServerConnector } from '../adapters/llm/openai/connector.ts';
import { createWebLlmHost } from '../adapters/llm/webllm/webLlmHost.ts';
import { sandboxedPool } from '../adapters/python/sandbox/sandboxedPool.ts';
import { SemiverseDb } from '../adapters/storage/db.ts';
import { DexieStore } from '../adapters/storage/dexieStore.ts';
import { DexieReads } from '../adapters/storage/reads.ts';
import { RowGate } from '../adapters/storage/rowGate.ts';
import { SettingsStore } from '../adapters/storage/settingsStore.ts';
import type { ModelHost } from '../core/ports.ts';
import type { FolderInput, Services } from '../state/services.ts';

export function createServices(): Services {
  const db = new SemiverseDb();
  const gate = new RowGate();
  let host: ModelHost | null = null;
  const reads = new DexieReads(db, gate);
  return {
    store: new DexieStore(db, gate),
    reads,
    scores: reads,
    settings: new SettingsStore(db),
    models: () => (host ??= createWebLlmHost()),
    servers: createServerConnector(),
    readFolder,
    pythonSession: () => {
      const python = sandboxedPool();
      const recheck = sandboxedPool({ size: 1, hashSeed: 1 });
      return {
        python,
        recheck,
        dispose: () => {
          python.dispose();
          recheck.dispose();
        },
      };
    },
  };
}

async function readFolder(input: FolderInput) {
  switch (input.kind) {
    case 'drop':
      return sourcesFromDrop(input.transfer);
    case 'picked':
      return folderFromFileList(input.files);
    case 'zip':
      return folderFromZip(input.file, input.file.name.replace(/\.zip$/i, ''));
  }
}
