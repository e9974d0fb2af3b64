/**
 * The composition root: the one place that picks adapters for the ports. Everything else receives these
 * through context (see context.ts), so tests can hand in their own.
 */
import { createServerConnector } from '../adapters/llm/openai/connector.ts';
import { createWebLlmHost } from '../adapters/llm/webllm/webLlmHost.ts';
import { sandboxedPool } from '../adapters/python/sandbox/sandboxedPool.ts';
import { SemiverseDb } from '../adapters/storage/db.ts';
import { DexieStore } from '../adapters/storage/dexieStore.ts';
import { SettingsStore } from '../adapters/storage/settingsStore.ts';
import type { ModelHost, PythonPort, ServerConnector, SettingsPort } from '../core/ports.ts';

/**
 * The Python of one run. Each run gets its own workers, stopped when it ends: code from one dropped
 * repository can rewrite its own worker's replies (it runs there), so a worker must never serve another
 * project. `recheck` is one more worker with another hash seed, for second runs (see RunDeps.recheck).
 */
export type PythonSession = { python: PythonPort; recheck: PythonPort; dispose(): void };

export type Services = {
  db: SemiverseDb;
  store: DexieStore;
  pythonSession(): PythonSession;
  settings: SettingsPort;
  /** The in-browser LLM engine, made on first use (web-llm itself is loaded only when a model loads). */
  models(): ModelHost;
  servers: ServerConnector;
};

export function createServices(): Services {
  const db = new SemiverseDb();
  let host: ModelHost | null = null;
  return {
    db,
    store: new DexieStore(db),
    settings: new SettingsStore(db),
    models: () => (host ??= createWebLlmHost()),
    servers: createServerConnector(),
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
