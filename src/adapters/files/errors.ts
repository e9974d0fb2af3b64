/**
 * Errors of the ways in. Callers (and the walker) tell them apart by `name` and `code`, never by message:
 * the messages are for people and may be reworded.
 */

export type SourceErrorCode =
  /** The drop held no file or folder (e.g. a dragged text selection). */
  | 'nothing_dropped'
  /** The blob has no zip end-of-central-directory record. */
  | 'not_zip'
  /** The zip's structures point outside the file or carry wrong signatures. */
  | 'corrupt_zip'
  /** A zip split over several disks (`.z01`, `.z02`, ...): only the last part was given. */
  | 'split_zip';

/** A source that cannot be opened at all: the whole ingest stops and the message is shown. */
export class SourceError extends Error {
  override readonly name = 'SourceError';

  constructor(
    readonly code: SourceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One zip entry that can be listed but not unpacked (encrypted, or a compression method browsers lack).
 * Thrown by that entry's read(); the walker sees `code` and lists the file as skipped `zip_unsupported`.
 */
export class ZipEntryUnsupportedError extends Error {
  override readonly name = 'ZipEntryUnsupportedError';
  readonly code = 'zip_unsupported';
}
