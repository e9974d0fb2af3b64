/**
 * Test page: real IndexedDB failures in Chromium, produced through the app's own database (SemiverseDb) and
 * settings store, so test/e2e/storageErrors.test.ts can check what Dexie really throws and what
 * toStorageError makes of it. Served by the Vite dev server, in tests only. Everything returned is plain data.
 */
import Dexie from 'dexie';
import { SemiverseDb } from '../../../src/adapters/storage/db.ts';
import { SettingsStore } from '../../../src/adapters/storage/settingsStore.ts';
import { toStorageError } from '../../../src/adapters/storage/storageErrors.ts';
import { StorageError, isAbortError } from '../../../src/domain/errors.ts';

/** One error and the `inner` errors Dexie wrapped in it, outermost first. */
export type SeenCause = { name: string; message: string; domException: boolean; dexie: boolean };
export type Seen = {
  /** What was thrown, as it came. */
  raw: SeenCause[];
  /** toStorageError of it. */
  mapped: { name: string; code: string | null; message: string; abort: boolean };
};

export type VersionOutcome = {
  /** The version the database was created at, with raw IndexedDB (Dexie multiplies its own by 10). */
  installed: number;
  /** Whether this release's Dexie (version 2, native 20) opened it anyway, and at which native version. */
  dexieOpened: boolean;
  dexieVersion: number | null;
  dexieError: Seen | null;
  /** Opening it with raw IndexedDB at a lower version. */
  lower: Seen;
};

declare global {
  interface Window {
    storageErrors: {
      /** Store `bytes` random bytes (incompressible) in one settings row. */
      quota(bytes: number): Promise<Seen | null>;
      version(): Promise<VersionOutcome>;
      /** A query through the settings store after the database was closed. */
      closed(): Promise<{ raw: Seen; store: Seen }>;
      /** On a page without IndexedDB: two reads through Dexie, then one through the settings store. */
      missing(): Promise<{ hasIndexedDb: boolean; raw: Seen; again: Seen; store: Seen }>;
    };
  }
}

function causes(error: unknown): SeenCause[] {
  const chain: SeenCause[] = [];
  for (let at = error; chain.length < 8 && (at instanceof Error || at instanceof DOMException);) {
    const dexie = at instanceof Dexie.DexieError;
    chain.push({ name: at.name, message: at.message, domException: at instanceof DOMException, dexie });
    at = (at as { inner?: unknown }).inner;
  }
  return chain.length > 0 ? chain : [{ name: typeof error, message: String(error), domException: false, dexie: false }];
}

function seen(error: unknown): Seen {
  const mapped = error instanceof StorageError ? error : toStorageError(error);
  return {
    raw: causes(error),
    mapped: {
      name: mapped instanceof Error ? mapped.name : typeof mapped,
      code: mapped instanceof StorageError ? mapped.code : null,
      message: mapped instanceof Error ? mapped.message : String(mapped),
      abort: isAbortError(mapped),
    },
  };
}

const fresh = (label: string) => `semiverse-${label}-${crypto.randomUUID()}`;

function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 65,536 bytes a call.
  for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  return bytes;
}

function rawOpen(name: string, version: number, create?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = () => create?.(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

window.storageErrors = {
  async quota(bytes) {
    const db = new SemiverseDb(fresh('quota'));
    try {
      await db.settings.put({ key: 'big', value: randomBytes(bytes) });
      return null;
    } catch (error) {
      return seen(error);
    } finally {
      db.close();
      await Dexie.delete(db.name);
    }
  },

  async version() {
    // A database as a newer release would leave it: this release's schema, upgraded past it with a table
    // this release does not know.
    const name = fresh('version');
    const current = new SemiverseDb(name);
    await current.open();
    current.close();
    const installed = 1000;
    const newer = await rawOpen(name, installed, (idb) => idb.createObjectStore('future', { keyPath: 'id' }));
    newer.close();
    const db = new SemiverseDb(name);
    let dexieError: Seen | null = null;
    await db.open().catch((error: unknown) => (dexieError = seen(error)));
    const dexieOpened = db.isOpen();
    const dexieVersion = dexieOpened ? db.backendDB().version : null;
    db.close();
    const lower = await rawOpen(name, 5).then(
      (idb): Seen => {
        idb.close();
        throw new Error('raw IndexedDB opened a database at a lower version');
      },
      (error: unknown) => seen(error),
    );
    await Dexie.delete(name);
    return { installed, dexieOpened, dexieVersion, dexieError, lower };
  },

  async closed() {
    const db = new SemiverseDb(fresh('closed'));
    const settings = new SettingsStore(db);
    await settings.saveEngineChoice({ kind: 'none' });
    db.close();
    const raw = await db.settings.get('engine').then(
      () => seen(new Error('read a closed database')),
      (error: unknown) => seen(error),
    );
    const store = await settings.engineChoice().then(
      () => seen(new Error('read a closed database')),
      (error: unknown) => seen(error),
    );
    await Dexie.delete(db.name);
    return { raw, store };
  },

  async missing() {
    const db = new SemiverseDb(fresh('missing'));
    const settings = new SettingsStore(db);
    const fail = (what: string) => () => seen(new Error(`${what} without IndexedDB`));
    const raw = await db.settings.get('engine').then(fail('read'), seen);
    const again = await db.settings.get('engine').then(fail('read'), seen);
    const store = await settings.engineChoice().then(fail('read'), seen);
    return { hasIndexedDb: window.indexedDB !== undefined, raw, again, store };
  },
};
document.title = 'ready';
