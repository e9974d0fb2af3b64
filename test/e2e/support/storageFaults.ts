/**
 * Storage failures on demand, for browser tests: an init script that makes IndexedDB requests fail the
 * way a full disk or a closed database makes them fail, chosen per object store and per kind of request.
 * The app is untouched: the script patches the browser's own IndexedDB prototypes, before the app loads.
 * The fault is read from sessionStorage on every request, so a test can switch it on and off at any time
 * (setStorageFault), and it survives a reload.
 */
import type { BrowserContext, Page } from 'playwright-core';

export type StorageFault = {
  /** Object stores whose requests fail (all when absent). */
  stores?: string[];
  /** Which requests fail: reads, writes or both. */
  ops: 'read' | 'write' | 'all';
  /**
   * How: a QuotaExceededError (a full disk fails writes this way); a NotReadableError (Chromium's answer
   * when a stored value's backing file is gone); or the connection closed under the page (transactions can
   * no longer start: InvalidStateError, and Dexie then fails every later request too).
   */
  error: 'QuotaExceededError' | 'NotReadableError' | 'closed';
};

const KEY = 'semiverse-test-storage-fault';

/** Installed once per context, before any page script. */
export async function installStorageFaults(context: BrowserContext): Promise<void> {
  await context.addInitScript((key: string) => {
    const fault = (): StorageFault | null => {
      try {
        const raw = sessionStorage.getItem(key);
        return raw ? (JSON.parse(raw) as StorageFault) : null;
      } catch {
        return null;
      }
    };
    type Op = 'read' | 'write';
    const wrap = (proto: object, method: string, op: Op, storeOf: (self: unknown) => string): void => {
      const original = (proto as Record<string, (...args: unknown[]) => unknown>)[method];
      if (typeof original !== 'function') return;
      (proto as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
        const f = fault();
        if (f && f.error !== 'closed' && (f.ops === 'all' || f.ops === op)) {
          if (!f.stores || f.stores.includes(storeOf(this)))
            throw new DOMException(`${f.error} (test fault).`, f.error);
        }
        return original.apply(this, args);
      };
    };
    const storeName = (self: unknown): string => (self as IDBObjectStore).name;
    const indexStore = (self: unknown): string => (self as IDBIndex).objectStore.name;
    for (const m of ['put', 'add', 'delete', 'clear']) wrap(IDBObjectStore.prototype, m, 'write', storeName);
    for (const m of ['get', 'getAll', 'getAllKeys', 'getKey', 'count', 'openCursor', 'openKeyCursor'])
      wrap(IDBObjectStore.prototype, m, 'read', storeName);
    for (const m of ['get', 'getAll', 'getAllKeys', 'getKey', 'count', 'openCursor', 'openKeyCursor'])
      wrap(IDBIndex.prototype, m, 'read', indexStore);
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<typeof transaction>) {
      const f = fault();
      const stores = ([] as string[]).concat(args[0] as string | string[]);
      const mode = args[1] ?? 'readonly';
      const op: Op = mode === 'readonly' ? 'read' : 'write';
      if (
        f &&
        f.error === 'closed' &&
        (f.ops === 'all' || f.ops === op) &&
        (!f.stores || stores.some((s) => f.stores!.includes(s)))
      )
        throw new DOMException('The database connection is closing (test fault).', 'InvalidStateError');
      return transaction.apply(this, args);
    };
  }, KEY);
}

export async function setStorageFault(page: Page, fault: StorageFault | null): Promise<void> {
  await page.evaluate(
    ([key, value]) => (value === null ? sessionStorage.removeItem(key) : sessionStorage.setItem(key, value)),
    [KEY, fault === null ? null : JSON.stringify(fault)] as const,
  );
}
