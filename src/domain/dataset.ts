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
 * Where a function stands among its copies (computed before the LLM stages): one representative per
 * cluster is kept; the others name it, with how they matched.
 */
export type DedupRow = {
  functionId: string;
  projectId: string;
  path: string;
  schemaVersion: number;
  /** The function this one duplicates (the cluster's representative); null for a representative or a loner. */
  duplicateOf: string | null;
  /** exact: same normalised AST (names, formatting, docstrings ignored); near: MinHash Jaccard ≥ threshold. */
  kind: 'exact' | 'near' | null;
  /** Estimated Jaccard similarity of token 5-grams with the representative (1 for exact). */
  similarity: number | null;
};

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
