/**
 * Dexie's and IndexedDB's failures as StorageError, with a code the UI can act on. Every failure that reaches
 * here becomes a StorageError: nothing passed to guard() takes a signal, so an AbortError here is an aborted
 * transaction (its `inner` says why), never the user's cancellation, and must not pass for one.
 *
 * What Chromium and Dexie 4 really throw (measured in test/e2e/storageErrors.test.ts):
 * - out of space: Dexie's AbortError whose `inner` is the browser's QuotaExceededError DOMException (the
 *   write fails as its transaction commits);
 * - no IndexedDB: every query, the first included, a DatabaseClosedError whose `inner` is a MissingAPIError;
 * - a database newer than this page: no error from Dexie, which reopens it at its installed version (the
 *   rows' schemaVersion catches newer data); raw IndexedDB's VersionError is still mapped;
 * - a query after db.close(): a DatabaseClosedError wrapping the one close() recorded.
 * Causes sit in Dexie's `inner`, sometimes two deep, so the whole chain is read, outermost first.
 */
import { StorageError } from '../../domain/errors.ts';

export async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toStorageError(error);
  }
}

export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const chain = causes(error);
  const names = chain.map((cause) => cause.name);
  if (names.includes('QuotaExceededError')) {
    return new StorageError('quota', 'The browser ran out of storage space for this site.');
  }
  if (names.includes('VersionError')) {
    return new StorageError('version', 'This page is older than the data it found; reload to update.');
  }
  if (names.includes('MissingAPIError') || names.includes('InvalidStateError')) {
    return new StorageError('unavailable', 'IndexedDB is not available (private browsing, or disabled).');
  }
  if (names[0] === 'DatabaseClosedError') {
    return new StorageError('closed', 'The database was closed while the page was using it; reload the page.');
  }
  // The innermost cause that says something (Chromium's DOMExceptions often carry an empty message).
  const said = chain.findLast((cause) => cause.message !== '');
  const message = said?.message ?? chain[0]?.name ?? String(error);
  return new StorageError('unknown', `Storage failed: ${message}`);
}

/** The error and the `inner` errors Dexie wrapped inside it, outermost first (a cycle or a deep chain ends it). */
function causes(error: unknown): { name: string; message: string }[] {
  const chain: { name: string; message: string }[] = [];
  let at: unknown = error;
  while ((at instanceof Error || at instanceof DOMException) && chain.length < 8) {
    if (chain.some((seen) => seen === at)) break;
    chain.push(at);
    at = (at as { inner?: unknown }).inner;
  }
  return chain;
}
