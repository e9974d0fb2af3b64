/**
 * The one Dexie database. Schema changes go through a new version() here, with an upgrade that repairs
 * older rows (see SCHEMA_VERSION in domain/records.ts).
 */
import Dexie, { type Table } from 'dexie';
import type { FileRow, FunctionRow, OutcomeRow, ProjectRow, SkipRow, SourceRow, TextRow } from '../../domain/records.ts';

export const DB_NAME = 'semiverse';

export class SemiverseDb extends Dexie {
  projects!: Table<ProjectRow, string>;
  files!: Table<FileRow, [string, string]>;
  texts!: Table<TextRow, [string, string]>;
  skipped!: Table<SkipRow, [string, string]>;
  functions!: Table<FunctionRow, string>;
  sources!: Table<SourceRow, string>;
  outcomes!: Table<OutcomeRow, string>;

  constructor(name = DB_NAME) {
    // relaxed: no flush to disk per transaction; a crash loses at most the last writes, which a resumed run
    // redoes (every write is idempotent). cache disabled: the big lists are refreshed by their owners, and
    // Dexie's query cache would clone every bulk write of thousands of rows on the main thread.
    super(name, { chromeTransactionDurability: 'relaxed', cache: 'disabled' });
    this.version(1).stores({
      projects: 'id, updatedAt',
      files: '[projectId+path], [projectId+state]',
      texts: '[projectId+path]',
      skipped: '[projectId+path], projectId',
      // [projectId+status+id]: count and filter by outcome, and page the export in key order.
      functions: 'id, projectId, [projectId+status+id]',
      sources: 'id, projectId',
      outcomes: 'id, projectId',
    });
  }
}
