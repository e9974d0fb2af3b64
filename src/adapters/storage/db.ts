/**
 * The one Dexie database. Schema changes go through a new version() here, with an upgrade that repairs
 * older rows (see SCHEMA_VERSION in domain/records.ts). Rows are per file, not per function: see the header
 * of domain/records.ts for why.
 */
import Dexie, { type Table } from 'dexie';
import type { FileRow, OutcomeRow, ProjectRow, SkipBatchRow, SourceRow, TextRow } from '../../domain/records.ts';
import type { DedupRow, FindingsRow, ImportedRow, LicenseRow } from '../../domain/dataset.ts';
import type { LlmCallRow, StageDataRow, StageRow } from '../../domain/pipeline.ts';
import { upgrade1to2, upgrade2to3 } from './upgrades.ts';

export const DB_NAME = 'semiverse';

type FileKey = [string, string];

/** One setting. `value` is whatever its owner stored; owners validate it when they read it back. */
export type SettingRow = { key: string; value: unknown };

export class SemiverseDb extends Dexie {
  projects!: Table<ProjectRow, string>;
  files!: Table<FileRow, FileKey>;
  texts!: Table<TextRow, FileKey>;
  sources!: Table<SourceRow, FileKey>;
  skipped!: Table<SkipBatchRow, FileKey>;
  outcomes!: Table<OutcomeRow, string>;
  settings!: Table<SettingRow, string>;
  stages!: Table<StageRow, string>;
  stageData!: Table<StageDataRow, string>;
  llmCalls!: Table<LlmCallRow, string>;
  dedup!: Table<DedupRow, string>;
  findings!: Table<FindingsRow, string>;
  licenses!: Table<LicenseRow, FileKey>;
  imported!: Table<ImportedRow, string>;

  constructor(name = DB_NAME) {
    // relaxed: no flush to disk per transaction; a crash loses at most the last writes, which a resumed run
    // redoes (every write is idempotent). cache disabled: the big lists are refreshed by their owners, and
    // Dexie's query cache would clone every bulk write on the main thread.
    super(name, { chromeTransactionDurability: 'relaxed', cache: 'disabled' });
    this.version(1).stores({
      projects: 'id, updatedAt',
      files: '[projectId+path], [projectId+state]',
      texts: '[projectId+path]',
      sources: '[projectId+path]',
      skipped: '[projectId+path]',
      outcomes: 'id, projectId',
    });
    // 2: the user's settings (the LLM engine they chose), one row per key. Nothing to migrate.
    this.version(2).stores({ settings: 'key' });
    // 3: rows of schema 2 (see SCHEMA_VERSION in domain/records.ts and upgrades.ts).
    this.version(3).stores({}).upgrade(upgrade1to2);
    // 4: the LLM pipeline: one verdict per function and stage (small: the funnel reads them all), its output
    // apart, and every LLM answer by request. Rows of schema 3 (see upgrades.ts).
    this.version(4)
      .stores({
        stages: 'id, projectId, [projectId+path], functionId',
        stageData: 'id, projectId',
        llmCalls: 'key, projectId, functionId',
      })
      .upgrade(upgrade2to3);
    // 5: the dataset (schema 4, domain/dataset.ts): duplicates among functions, what the screens found per
    // sample, licences of the folder, imported lines. New tables only: nothing to upgrade.
    this.version(5).stores({
      dedup: 'functionId, projectId',
      findings: 'key, projectId',
      licenses: '[projectId+path], projectId',
      imported: 'key, projectId, importId',
    });
  }
}

/** The key range of every per-file row of a project. */
export function ofProject(projectId: string): [FileKey, FileKey] {
  return [
    [projectId, Dexie.minKey as unknown as string],
    [projectId, Dexie.maxKey as unknown as string],
  ];
}
