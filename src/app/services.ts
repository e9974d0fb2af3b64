/**
 * The composition root: the one place that picks adapters for the ports. Everything else receives these
 * through context (see context.ts), so tests can hand in their own.
 */
import type { PythonPool } from '../adapters/python/pool.ts';
import { sandboxedPool } from '../adapters/python/sandbox/sandboxedPool.ts';
import { SemiverseDb } from '../adapters/storage/db.ts';
import { DexieStore } from '../adapters/storage/dexieStore.ts';
import type { PythonPort } from '../core/ports.ts';

export type Services = {
  db: SemiverseDb;
  store: DexieStore;
  /** Created on first use: nothing is spawned until there is Python to run. */
  python(): PythonPort;
};

export function createServices(): Services {
  const db = new SemiverseDb();
  let pool: PythonPool | null = null;
  return {
    db,
    store: new DexieStore(db),
    python: () => (pool ??= sandboxedPool()),
  };
}
