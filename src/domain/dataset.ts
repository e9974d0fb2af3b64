/**
 * The dataset a project becomes: its samples as the export sees them (natural, LLM, imported), what the
 * screens found in them (benchmark contamination, secrets and personal data, the Python version they need,
 * duplicate instructions), how duplicates among the functions were grouped before the LLM stages, and the
 * licences of the dropped folder. Plain data: stored in IndexedDB, shown by the UI, written to the dataset
 * card.
 */

/** One exported sample, whatever made it. `record` is the line as the raw format writes it. */
export type Sample = {
  /** The line's `id` (unique in the project). */
  id: string;
  method: 'natural-doctest' | 'inverse-semi';
  /** The source file: a train/validation split keeps a file's samples on one side. */
  path: string;
  instruction: string;
  response: string;
  tests: string[];
  entryPoint: string;
  record: Record<string, unknown>;
};

export type SampleField = 'instruction' | 'response' | 'tests';

/** What a screen found in a sample; `excerpt` is the text it matched (secrets shown masked). */
export type Finding =
  | {
      kind: 'benchmark';
      benchmark: 'HumanEval' | 'MBPP';
      taskId: string;
      field: SampleField;
      /** How it matched: a shared run of n normalised tokens, or near-duplicate code (MinHash Jaccard). */
      how: { ngram: number } | { jaccard: number };
      excerpt: string;
    }
  | { kind: 'secret'; rule: string; field: SampleField; line: number; excerpt: string }
  | { kind: 'pii'; rule: 'email' | 'ip' | 'name'; field: SampleField; line: number; excerpt: string }
  | { kind: 'duplicate-instruction'; of: string; jaccard: number };

/** A sample's screening: kept as long as the sample's content is the same (`contentKey`). */
export type FindingsRow = {
  /** `${projectId}|${sampleId}` */
  key: string;
  projectId: string;
  sampleId: string;
  path: string;
  schemaVersion: number;
  /** Hash of instruction, response and tests: a changed sample is screened again. */
  contentKey: string;
  findings: Finding[];
  /** The oldest of 3.8–3.14 whose grammar accepts the sample's response and tests; null when none does. */
  pythonVersion: string | null;
};

/**
 * Where a function stands among its copies (computed before the LLM stages, src/core/dedup/): one
 * representative per cluster is kept; the others name it, with how they matched. Only functions in a
 * cluster of two or more have a row (a row per function would cost a write per function).
 */
export type DedupRow = {
  functionId: string;
  projectId: string;
  path: string;
  schemaVersion: number;
  /** What the cluster view shows without reading the file rows. */
  qualname: string;
  lineno: number;
  /** The function this one duplicates (the cluster's representative); null for the representative. */
  duplicateOf: string | null;
  /** exact: same normalised AST (names, formatting, docstrings ignored); near: MinHash Jaccard ≥ threshold. */
  kind: 'exact' | 'near' | null;
  /** Estimated Jaccard similarity of token 5-grams with the representative (1 for an exact copy of it). */
  similarity: number | null;
  /**
   * The match that put this function in its cluster: with the representative, or with another member on
   * the way to it (a cluster is every function linked by matches), and that match's similarity.
   */
  matched: { functionId: string; similarity: number } | null;
  /** How many functions the cluster holds, the representative included. */
  size: number;
};

/** Near-duplicate detection: MinHash with `numPerm` permutations, LSH tuned for `threshold` (Jaccard). */
export type DedupSettings = { threshold: number; numPerm: number };

/** SelfCodeAlign's final dedup: 250 permutations, Jaccard 0.7 on 5-grams. */
export const DEFAULT_DEDUP_SETTINGS: DedupSettings = { threshold: 0.7, numPerm: 250 };

/** What a stored or typed setting may be (outside it: clamped). */
export const DEDUP_SETTING_BOUNDS = {
  threshold: { min: 0.3, max: 1, integer: false },
  numPerm: { min: 16, max: 1024, integer: true },
} as const;

/**
 * What the dedup phase found, on the project row: its progress while it runs (files normalised of all),
 * then the totals, with the settings they were found with.
 */
export type DedupSummary = {
  settings: DedupSettings;
  files: number;
  filesDone: number;
  functions: number;
  clusters: number;
  /** Functions left out as copies: same normalised AST as their representative, or near it. */
  exact: number;
  near: number;
  finishedAt: number | null;
};

/** One file's functions to normalise, by the line of their `def` (semiverse_normalise.py). */
export type NormaliseJob = { text: string; linenos: number[] };

/** A function as dedup compares it: the hash of its normalised AST, and its normalised tokens. */
export type NormalisedFunction = { hash: string; tokens: string[] };

/** Per function of the job, in its order (null: no function at that line, or too deep to walk). */
export type NormaliseReply = { ok: true; functions: (NormalisedFunction | null)[] } | { ok: false; error: string };

/** A licence found in the dropped folder: a licence file, or an SPDX header in a source file. */
export type LicenseRow = {
  projectId: string;
  path: string;
  schemaVersion: number;
  source: 'file' | 'spdx-header';
  /** The SPDX id detected (e.g. "MIT", "Apache-2.0"), or null when the text matched none known. */
  spdx: string | null;
  /** The licence text (files only, the first 64 KiB). */
  text: string | null;
};

/** A line of an imported JSONL, kept as it was exported (validated against its schema version). */
export type ImportedRow = {
  /** `${projectId}|${id}` */
  key: string;
  projectId: string;
  /** The record's own id. */
  id: string;
  /** Which import it came with (file name and time), and its line there. */
  importId: string;
  line: number;
  schemaVersion: number;
  record: Record<string, unknown>;
};
