/**
 * The one Dexie database. Schema changes go through a new version() here, with an upgrade that repairs
 * older rows (see SCHEMA_VERSION in domain/records.ts).
 */
import Dexie, { type Table } from 'dexie';
import type { FileRow, FunctionRow, OutcomeRow, ProjectRow, SkipRow, SourceRow } from '../../domain/records.ts';

export const DB_NAME = 'semiverse';

export class SemiverseDb extends Dexie {
  projects!: Table<ProjectRow, string>;
  files!: Table<FileRow, [string, string]>;
  skipped!: Table<SkipRow, [string, string]>;
  functions!: Table<FunctionRow, string>;
  sources!: Table<SourceRow, string>;
  outcomes!: Table<OutcomeRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      projects: 'id, updatedAt',
      files: '[projectId+path], [projectId+state]',
      skipped: '[projectId+path], projectId',
      // [projectId+status+id]: count and filter by outcome, and page the export in key order.
      functions: 'id, projectId, [projectId+status+id]',
      sources: 'id, projectId',
      outcomes: 'id, projectId',
    });
  }
}
