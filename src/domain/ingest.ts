/**
 * What ingest decides about each path of a dropped folder. A path is either accepted as a Python source
 * file or skipped with exactly one reason; nothing is dropped without one.
 */

export const SKIP_REASONS = {
  vcs: 'version-control folder (.git, .hg, .svn)',
  node_modules: 'node_modules folder',
  pycache: '__pycache__ folder',
  virtualenv: 'virtual environment',
  gitignored: 'matched by a .gitignore',
  not_python: 'not a Python source file',
  type_stub: 'type stub (.pyi): no code to run',
  too_large: 'larger than 1 MiB',
  binary: 'binary file',
  not_utf8: 'not valid UTF-8',
  unreadable: 'could not be read',
  zip_unsupported: 'zip entry that cannot be unpacked',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

/** A whole folder is skipped as one entry (we never descend into it), a file as itself. */
export type SkippedPath = {
  path: string;
  isDir: boolean;
  reason: SkipReason;
  /** Extra facts for the list, e.g. the size of a too-large file or the .gitignore that matched. */
  detail?: string;
};

/** A Python source file that passed every ingest rule, decoded and hashed. */
export type AcceptedFile = {
  path: string;
  size: number;
  sha256: string;
  text: string;
};

/** A licence text of the folder (LICENSE, COPYING, NOTICE…): not Python, but what the dataset card cites. */
export type LicenseFile = {
  path: string;
  /** Decoded leniently (a stray byte in a licence should not cost the licence). */
  text: string;
};

export type IngestEvent =
  | { type: 'file'; file: AcceptedFile }
  | { type: 'license'; license: LicenseFile }
  | { type: 'skip'; skipped: SkippedPath }
  /** Sent now and then while walking, so the UI can show progress through folders with no Python in them. */
  | { type: 'progress'; seen: number };

/** Ingest limits. Files over MAX_FILE_BYTES are listed, not read (README.md, "Files": at most 1 MiB each). */
export const MAX_FILE_BYTES = 1024 * 1024;
