/**
 * What the red-team suite protects, on the page's own origin: the app's IndexedDB written through the app's
 * own store (a realistic project), a localStorage entry, and a Cache Storage entry where web-llm keeps model
 * weights. `snapshot()` reads all of it back with the raw browser APIs (not through Dexie, so a change Dexie
 * would not notice still shows) as canonical JSON, to compare before and after the attacks.
 */
import { SemiverseDb } from '../../../src/adapters/storage/db.ts';
import { DexieStore } from '../../../src/adapters/storage/dexieStore.ts';
import { emptyCounts, SCHEMA_VERSION, type FileRow, type ProjectRow } from '../../../src/domain/records.ts';

export const PROJECT_ID = 'redteam-project';
export const MODEL_CACHE = 'webllm/model';
const SECRET_SOURCE = 'API_KEY = "sk-secret-that-must-stay-home"\n\ndef add(a, b):\n    return a + b\n';

export const db = new SemiverseDb();
const store = new DexieStore(db);

export async function seed(): Promise<void> {
  const now = Date.UTC(2025, 0, 1);
  const project: ProjectRow = {
    id: PROJECT_ID,
    schemaVersion: SCHEMA_VERSION,
    name: 'private-repo',
    origin: 'drop',
    createdAt: now,
    updatedAt: now,
    phase: 'done',
    ingestComplete: true,
    notice: null,
    settings: { timeoutMs: 5000 },
    pipeline: { mode: 'natural' },
    counts: emptyCounts(),
    localModules: ['secrets'],
    startedAt: now,
    finishedAt: now,
  };
  const file: FileRow = {
    projectId: PROJECT_ID,
    path: 'secrets.py',
    schemaVersion: SCHEMA_VERSION,
    size: SECRET_SOURCE.length,
    sha256: '0'.repeat(64),
    state: 'pending',
    error: null,
    segments: null,
    modules: [],
    functions: [],
  };
  await store.createProject(project);
  const text = { projectId: PROJECT_ID, path: file.path, sha256: file.sha256, text: SECRET_SOURCE };
  await store.saveIngestBatch(
    PROJECT_ID,
    [{ row: file, text }],
    [{ path: '.env', isDir: false, reason: 'gitignored' }],
    2,
  );
  await db.sources.put({
    projectId: PROJECT_ID,
    path: file.path,
    schemaVersion: SCHEMA_VERSION,
    fns: [],
    programs: [],
  });
  const outcome = { status: 'passed' as const, examples: 1, tests: ['assert add(1, 2) == 3'], plainAsserts: true };
  await store.saveOutcomes(PROJECT_ID, [
    {
      id: `${PROJECT_ID}|secrets.py|3|add`,
      projectId: PROJECT_ID,
      path: file.path,
      schemaVersion: SCHEMA_VERSION,
      outcome,
      runtime: 'CPython 3.14.2 (Pyodide 314.0.7)',
      program: SECRET_SOURCE,
      durationMs: 3,
      finishedAt: now,
    },
  ]);
  localStorage.setItem(
    'semiverse:settings',
    JSON.stringify({ endpoint: 'http://localhost:11434', apiKey: 'sk-local' }),
  );
  const cache = await caches.open(MODEL_CACHE);
  await cache.put(new Request(new URL('/model/params_shard_0.bin', location.href)), new Response('weights'));
}

export type Snapshot = { databases: string; semiverse: string; localStorage: string; caches: string };

export async function snapshot(): Promise<Snapshot> {
  const databases = (await indexedDB.databases()).map((d) => `${d.name}@${d.version}`).sort();
  return {
    databases: canonical(databases),
    semiverse: canonical(await dumpDatabase('semiverse')),
    localStorage: canonical(Object.fromEntries(Object.entries(localStorage))),
    caches: canonical(await dumpCaches()),
  };
}

async function dumpDatabase(name: string): Promise<Record<string, { keys: unknown[]; values: unknown[] }>> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    const names = [...idb.objectStoreNames].sort();
    const tx = idb.transaction(names, 'readonly');
    const read = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const dump: Record<string, { keys: unknown[]; values: unknown[] }> = {};
    for (const store of names) {
      const os = tx.objectStore(store);
      dump[store] = { keys: await read(os.getAllKeys()), values: await read(os.getAll()) };
    }
    return dump;
  } finally {
    idb.close();
  }
}

async function dumpCaches(): Promise<Record<string, Record<string, string>>> {
  const dump: Record<string, Record<string, string>> = {};
  for (const name of (await caches.keys()).sort()) {
    const cache = await caches.open(name);
    const entries: Record<string, string> = (dump[name] = {});
    for (const request of await cache.keys()) entries[request.url] = (await (await cache.match(request))?.text()) ?? '';
  }
  return dump;
}

/** JSON with object keys sorted, so two dumps of the same data are the same string. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
