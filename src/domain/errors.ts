/**
 * Faults of the app itself (not of the code it runs, which are outcomes). Each carries a code that the UI
 * turns into a message with an action; code is classified by `code`, never by message text.
 */

export type StorageErrorCode = 'quota' | 'unavailable' | 'version' | 'unknown';

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isAbortError(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && error.name === 'AbortError';
}
