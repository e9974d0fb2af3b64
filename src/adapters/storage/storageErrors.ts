/** Dexie's and IndexedDB's failures as StorageError, with a code the UI can act on. */
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
  const names = [nameOf(error), nameOf((error as { inner?: unknown } | null)?.inner)];
  // Quota errors come as QuotaExceededError, sometimes wrapped by Dexie in `inner` (DESIGN).
  if (names.includes('QuotaExceededError')) {
    return new StorageError('quota', 'The browser ran out of storage space for this site.');
  }
  if (names.includes('VersionError')) {
    return new StorageError('version', 'This page is older than the data it found; reload to update.');
  }
  if (names.includes('MissingAPIError') || names.includes('InvalidStateError')) {
    return new StorageError('unavailable', 'IndexedDB is not available (private browsing, or disabled).');
  }
  if (names.includes('AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError('unknown', `Storage failed: ${message}`);
}

function nameOf(value: unknown): string | undefined {
  return value instanceof Error || value instanceof DOMException ? value.name : undefined;
}
