/**
 * What the UI reads, shaped for showing (the storage adapter builds these from its rows; see ReadPort).
 */
import type { ExtractedFunction, Segment, SyntaxErrorInfo } from './extract.ts';
import type { FunctionRow, OutcomeRow } from './records.ts';

export type FunctionDetail = {
  row: FunctionRow;
  fn: ExtractedFunction | undefined;
  /** Present when the function ran. */
  ran: OutcomeRow | undefined;
};

/** A file that did not become functions: it did not parse, or its extraction timed out or crashed. */
export type FailedFile = { path: string; error: SyntaxErrorInfo | null };

/** A file's text and segment table: enough to show any of its functions' source and standalone program. */
export type FileCode = { text: string; segments: Segment[] | null };

/**
 * A stored row that could not be read (written by a newer release, damaged, or edited by hand): left out of
 * what the app shows and runs, and reported with the reason.
 */
export type UnreadableRow = { table: string; key: string; reason: string };
