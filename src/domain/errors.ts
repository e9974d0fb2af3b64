/**
 * Faults of the app itself (not of the code it runs, which are outcomes). Each carries a code that the UI
 * turns into a message with an action; code is classified by `code`, never by message text.
 */

/**
 * 'quota': no space left for this site; 'unavailable': no IndexedDB here (private browsing, disabled);
 * 'version': the stored data is newer than this page; 'closed': the page's database connection was closed
 * while work still needed it (reload); 'unknown': anything else, with the browser's message.
 */
export type StorageErrorCode = 'quota' | 'unavailable' | 'version' | 'closed' | 'unknown';

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
