/**
 * StoragePort over Dexie. Counters live on the project row and change only in the transaction that writes
 * what they count, computed from what was there before (a re-written row moves no counter), so they stay
 * exact across reloads, resumes and a second tab. Nothing but Dexie work is awaited inside a transaction.
 */
import Dexie from 'dexie';
import { composeProgram } from '../../core/extract/composeProgram.ts';
import type {
  ExportItem,
  FileExtraction,
  LlmExportItem,
  PendingFunction,
  StageVerdict,
  StoragePort,
} from '../../core/ports.ts';
import type { LlmCallRow, LlmStage, StageDataRow, StageRow } from '../../domain/pipeline.ts';
import type { FileCode } from '../../domain/views.ts';
import type { ImportedRow } from '../../domain/dataset.ts';
import type { FindingsRow, LicenseRow } from '../../domain/dataset.ts';
import type { DedupRow } from '../../domain/dataset.ts';
import type { SkippedPath } from '../../domain/ingest.ts';
import type { FileRow, OutcomeRow, ProjectCounts, ProjectRow, SourceRow, TextRow } from '../../domain/records.ts';
import { SCHEMA_VERSION } from '../../domain/records.ts';
import type { FunctionStatus } from '../../domain/verify.ts';
import { ofProject, type SemiverseDb } from './db.ts';
import { checkProject, checked } from './rowChecks.ts';
import { RowGate } from './rowGate.ts';
import { guard, toStorageError } from './storageErrors.ts';

/**
 * How long an import's transaction waits for the next batch of the file (read and checked meanwhile,
 * outside IndexedDB) before it gives up: far more than a batch takes, less than forever.
 */
const IMPORT_BATCH_WAIT_MS = 10 * 60_000;

/** Rows read here pass their checks first (RowGate): an unreadable row is reported and left out. */
export class DexieStore implements StoragePort {
  constructor(
    readonly db: SemiverseDb,
    readonly gate = new RowGate(),
  ) {}

  createProject(project: ProjectRow): Promise<void> {
    return guard(this.db.projects.add(project).then(() => undefined));
  }

  project(id: string): Promise<ProjectRow | undefined> {
    return guard(this.db.projects.get(id).then((row) => this.gate.one('projects', row)));
  }

  latestProject(): Promise<ProjectRow | undefined> {
    return guard(
      this.db.projects
        .orderBy('updatedAt')
        .reverse()
        .toArray()
        .then((rows) => this.gate.keep('projects', rows)[0]),
    );
  }

  updateProject(id: string, patch: Partial<Omit<ProjectRow, 'id' | 'counts'>>): Promise<void> {
    return guard(this.db.projects.update(id, { ...patch, updatedAt: Date.now() }).then(() => undefined));
  }

  deleteProject(id: string): Promise<void> {
    const db = this.db;
    const perFile = [db.files, db.texts, db.sources, db.skipped];
    const byProject = [
      db.outcomes,
      db.stages,
      db.stageData,
      db.llmCalls,
      db.imported,
      db.findings,
      db.licenses,
      db.dedup,
    ];
    return guard(
      db.transaction('rw', [db.projects, ...byProject, ...perFile], async () => {
        for (const table of perFile)
          await table
            .where('[projectId+path]')
            .between(...ofProject(id))
            .delete();
        for (const table of byProject) await table.where('projectId').equals(id).delete();
        await db.projects.delete(id);
      }),
    );
  }

  saveIngestBatch(
    projectId: string,
    files: { row: FileRow; text: TextRow }[],
    skips: SkippedPath[],
    seen: number,
  ): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.texts, db.skipped], async () => {
        const old = await db.files.bulkGet(files.map((f): [string, string] => [projectId, f.row.path]));
        const batch = skips[0] && { projectId, path: skips[0].path, schemaVersion: SCHEMA_VERSION, entries: skips };
        const oldBatch = batch ? await db.skipped.get([projectId, batch.path]) : undefined;
        await Promise.all([db.files.bulkPut(files.map((f) => f.row)), db.texts.bulkPut(files.map((f) => f.text))]);
        if (batch) await db.skipped.put(batch);
        await bump(db, projectId, (c) => {
          c.seen = Math.max(c.seen, seen);
          c.filesAccepted += old.filter((f) => !f).length;
          c.filesSkipped += skips.length - (oldBatch?.entries.length ?? 0);
        });
      }),
    );
  }

  pendingFiles(projectId: string): Promise<string[]> {
    return guard(this.db.files.where('[projectId+state]').equals([projectId, 'pending']).primaryKeys().then(paths));
  }

  filePaths(projectId: string): Promise<string[]> {
    return guard(
      this.db.files
        .where('[projectId+path]')
        .between(...ofProject(projectId))
        .primaryKeys()
        .then(paths),
    );
  }

  fileText(projectId: string, path: string): Promise<TextRow | undefined> {
    return guard(this.db.texts.get([projectId, path]).then((row) => this.gate.one('texts', row)));
  }

  saveExtractions(projectId: string, results: FileExtraction[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.sources], async () => {
        const current = this.gate.each(
          'files',
          await db.files.bulkGet(results.map((r): [string, string] => [projectId, r.path])),
        );
        // A file already extracted (by another tab, or before a reload) keeps its first result.
        const fresh = results.flatMap((result, i) => {
          const file = current[i];
          return file?.state === 'pending' ? [{ result, file }] : [];
        });
        if (fresh.length === 0) return;
        await Promise.all([
          db.files.bulkPut(
            fresh.map(({ result, file }) => ({
              ...file,
              state: result.state,
              error: result.error,
              segments: result.segments,
              modules: result.modules,
              functions: result.functions,
            })),
          ),
          db.sources.bulkPut(fresh.flatMap(({ result }) => (result.source ? [result.source] : []))),
        ]);
        const fns = fresh.flatMap(({ result }) => result.functions);
        await bump(db, projectId, (c) => {
          c.filesExtracted += fresh.filter(({ result }) => result.state === 'extracted').length;
          c.filesFailed += fresh.filter(({ result }) => result.state === 'failed').length;
          c.functions += fns.length;
          c.withDoctests += fns.filter((f) => f.exampleCount > 0).length;
          for (const f of fns) c.byStatus[f.status] += 1;
        });
      }),
    );
  }

  pendingFunctions(projectId: string): Promise<PendingFunction[]> {
    return guard(
      (async () => {
        const stored = await this.db.files.where('[projectId+state]').equals([projectId, 'extracted']).toArray();
        const files = this.gate.keep('files', stored);
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return files.flatMap((file) =>
          file.functions.flatMap((fn, index) =>
            fn.status === 'pending' ? [{ id: fn.id, path: file.path, index }] : [],
          ),
        );
      })(),
    );
  }

  fileSource(projectId: string, path: string): Promise<SourceRow | undefined> {
    return guard(this.db.sources.get([projectId, path]).then((row) => this.gate.one('sources', row)));
  }

  saveOutcomes(projectId: string, outcomes: OutcomeRow[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.projects, db.files, db.outcomes], async () => {
        const filePaths = [...new Set(outcomes.map((o) => o.path))];
        const files = this.gate.each(
          'files',
          await db.files.bulkGet(filePaths.map((path): [string, string] => [projectId, path])),
        );
        const byId = new Map(outcomes.map((o) => [o.id, o.outcome.status]));
        const moves: [FunctionStatus, FunctionStatus][] = [];
        const updated = files.flatMap((file) => {
          if (!file) return [];
          const functions = file.functions.map((fn) => {
            const status = byId.get(fn.id);
            if (status === undefined || status === fn.status) return fn;
            moves.push([fn.status, status]);
            return { ...fn, status };
          });
          return [{ ...file, functions }];
        });
        await Promise.all([db.outcomes.bulkPut(outcomes), db.files.bulkPut(updated)]);
        await bump(db, projectId, (c) => {
          for (const [from, to] of moves) {
            c.byStatus[from] -= 1;
            c.byStatus[to] += 1;
            if (from === 'pending') c.doctestsRun += 1;
          }
        });
      }),
    );
  }

  async fileCode(projectId: string, path: string): Promise<FileCode | null> {
    const [text, file] = await guard(
      Promise.all([this.db.texts.get([projectId, path]), this.db.files.get([projectId, path])]),
    );
    const checkedText = this.gate.one('texts', text);
    if (!checkedText) return null;
    return { text: checkedText.text, segments: this.gate.one('files', file)?.segments ?? null };
  }

  outcome(functionId: string): Promise<OutcomeRow | undefined> {
    return guard(this.db.outcomes.get(functionId).then((row) => this.gate.one('outcomes', row)));
  }

  pipelineFunctions(projectId: string): Promise<PendingFunction[]> {
    return guard(
      (async () => {
        const stored = await this.db.files.where('[projectId+state]').equals([projectId, 'extracted']).toArray();
        const files = this.gate.keep('files', stored);
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return files.flatMap((file) => file.functions.map((fn, index) => ({ id: fn.id, path: file.path, index })));
      })(),
    );
  }

  stageRows(functionId: string): Promise<StageRow[]> {
    return guard(
      this.db.stages
        .where('functionId')
        .equals(functionId)
        .toArray()
        .then((rows) => this.gate.keep('stages', rows)),
    );
  }

  stageData(ids: readonly string[]): Promise<(StageDataRow | undefined)[]> {
    return guard(this.db.stageData.bulkGet([...ids]).then((rows) => this.gate.each('stageData', rows)));
  }

  saveStage(row: StageRow, data: StageDataRow | null): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.stages, db.stageData], async () => {
        await db.stages.put(row);
        if (data) await db.stageData.put(data);
        else await db.stageData.delete(row.id);
      }),
    );
  }

  llmCall(key: string): Promise<LlmCallRow | undefined> {
    return guard(this.db.llmCalls.get(key).then((row) => this.gate.one('llmCalls', row)));
  }

  saveLlmCall(row: LlmCallRow): Promise<void> {
    return guard(this.db.llmCalls.put(row).then(() => undefined));
  }

  dedupRows(projectId: string): Promise<DedupRow[]> {
    return guard(
      this.db.dedup
        .where('projectId')
        .equals(projectId)
        .toArray()
        .then((rows) => this.gate.keep('dedup', rows)),
    );
  }

  saveDedup(projectId: string, put: readonly DedupRow[], remove: readonly string[]): Promise<void> {
    const db = this.db;
    return guard(
      db.transaction('rw', [db.dedup, db.stages, db.stageData], async () => {
        const ids = [...put.map((row) => row.functionId), ...remove];
        const old = await db.dedup.bulkGet(ids);
        // An old row that does not read (another release's, damaged) is replaced like any other.
        const before = (i: number): string | null => {
          const of = (old[i] as { projectId?: unknown; duplicateOf?: unknown } | undefined)?.duplicateOf;
          return typeof of === 'string' ? of : null;
        };
        const changed = ids.filter((_, i) => before(i) !== (i < put.length ? put[i]!.duplicateOf : null));
        const stale = changed.map((id) => `${id}#select`);
        await Promise.all([
          db.dedup.bulkDelete([...remove]),
          db.stages.bulkDelete(stale),
          db.stageData.bulkDelete(stale),
        ]);
        if (put.some((row) => row.projectId !== projectId)) throw new Error('a dedup row of another project');
        await db.dedup.bulkPut([...put]);
      }),
    );
  }

  stageVerdicts(projectId: string): Promise<StageVerdict[]> {
    return guard(
      this.db.stages
        .where('projectId')
        .equals(projectId)
        .toArray()
        .then((rows) =>
          this.gate.keep('stages', rows).map(({ functionId, path, stage, fingerprint, status, reason, tokens }) => ({
            functionId,
            path,
            stage,
            fingerprint,
            status,
            reason,
            tokens,
          })),
        ),
    );
  }

  acceptedIn(projectId: string, paths: readonly string[], prints: Record<LlmStage, string>): Promise<LlmExportItem[]> {
    const db = this.db;
    return guard(
      (async () => {
        const items: LlmExportItem[] = [];
        for (const path of paths) {
          const verdicts = this.gate.keep(
            'stages',
            await db.stages.where('[projectId+path]').equals([projectId, path]).toArray(),
          );
          const accepted = verdicts.filter(
            (v) => v.stage === 'verify' && v.status === 'kept' && v.fingerprint === prints.verify,
          );
          if (accepted.length === 0) continue;
          const [file, source, text] = await Promise.all([
            db.files.get([projectId, path]).then((r) => this.gate.one('files', r)),
            db.sources.get([projectId, path]).then((r) => this.gate.one('sources', r)),
            db.texts.get([projectId, path]).then((r) => this.gate.one('texts', r)),
          ]);
          if (!file || !source || !text || !file.segments) continue;
          const stages = ['select', 'oracle', 'judge', 'solve', 'verify'] as const;
          const wanted = accepted.flatMap((v) => stages.map((stage) => `${v.functionId}#${stage}`));
          const data = new Map(
            this.gate.keep('stageData', await db.stageData.bulkGet(wanted)).map((d) => [d.id, d.output]),
          );
          for (const v of accepted) {
            const index = file.functions.findIndex((fn) => fn.id === v.functionId);
            const fn = source.fns[index];
            const out = Object.fromEntries(stages.map((stage) => [stage, data.get(`${v.functionId}#${stage}`)]));
            // Every stage the sample is made of must be current: a stale one means the verify verdict is stale.
            const current = stages.every((stage) =>
              verdicts.some(
                (r) =>
                  r.functionId === v.functionId &&
                  r.stage === stage &&
                  r.fingerprint === prints[stage] &&
                  r.status === 'kept',
              ),
            );
            if (!fn || !fn.program || !current || stages.some((stage) => out[stage]?.stage !== stage)) continue;
            items.push({
              path,
              summary: file.functions[index]!,
              fn,
              fileSha256: file.sha256,
              program: source.programs[index] ?? composeProgram(text.text, file.segments, fn.program),
              ...(out as Pick<LlmExportItem, (typeof stages)[number]>),
            });
          }
        }
        return items;
      })(),
    );
  }

  passedPage(
    projectId: string,
    afterPath: string | null,
    count: number,
  ): Promise<{ items: ExportItem[]; lastPath: string | null; paths: string[]; duplicates: number }> {
    const db = this.db;
    return guard(
      (async () => {
        const [from, to] = ofProject(projectId);
        const stored = await db.files
          .where('[projectId+path]')
          .between(afterPath === null ? from : [projectId, afterPath], to, afterPath === null, true)
          .limit(count)
          .toArray();
        const files = this.gate.keep('files', stored);
        const withPassed = files.filter((f) => f.functions.some((fn) => fn.status === 'passed'));
        const sources = this.gate.each(
          'sources',
          await db.sources.bulkGet(withPassed.map((f): [string, string] => [projectId, f.path])),
        );
        const passedIds = withPassed.flatMap((f) =>
          f.functions.filter((fn) => fn.status === 'passed').map((fn) => fn.id),
        );
        const outcomeRows = this.gate.keep('outcomes', await db.outcomes.bulkGet(passedIds));
        const outcomes = new Map(outcomeRows.map((o) => [o.id, o]));
        // Copies of another function (core/dedup) are left out: their representative's sample stands for them.
        const dedup = this.gate.keep('dedup', await db.dedup.bulkGet(passedIds));
        const copies = new Set(dedup.flatMap((d) => (d.duplicateOf === null ? [] : [d.functionId])));
        const items = withPassed.flatMap((file, i) =>
          file.functions.flatMap((summary, index) => {
            const fn = sources[i]?.fns[index];
            const outcome = outcomes.get(summary.id);
            return summary.status === 'passed' && fn && outcome && !copies.has(summary.id)
              ? [{ path: file.path, summary, fn, fileSha256: file.sha256, outcome }]
              : [];
          }),
        );
        const pagePaths = stored.map((f) => f.path);
        const lastPath = stored.length === 0 ? null : stored[stored.length - 1]!.path;
        return { items, lastPath, paths: pagePaths, duplicates: copies.size };
      })(),
    );
  }

  importedPage(
    projectId: string,
    after: string | null,
    count: number,
  ): Promise<{ rows: ImportedRow[]; last: string | null }> {
    // Keys are `${projectId}|${id}`: the project's rows lie between `${projectId}|` and `${projectId}}`.
    const from = after ?? `${projectId}|`;
    return guard(
      this.db.imported
        .where('key')
        .between(from, `${projectId}}`, after === null, false)
        .limit(count)
        .toArray()
        .then((stored) => ({
          rows: this.gate.keep('imported', stored),
          last: stored.length < count ? null : stored[stored.length - 1]!.key,
        })),
    );
  }

  importedRows(keys: readonly string[]): Promise<(ImportedRow | undefined)[]> {
    return guard(this.db.imported.bulkGet([...keys]).then((rows) => this.gate.each('imported', rows)));
  }

  /**
   * One transaction for the whole import. The file is read between batches while the transaction stays
   * open: Dexie.waitFor keeps it alive (it issues small reads until the batch arrives), where a plain
   * await of anything but IndexedDB would let it commit half the import.
   */
  async saveImport(
    projectId: string,
    batches: AsyncIterable<ImportedRow[]>,
    admit: (rows: ImportedRow[], stored: (ImportedRow | undefined)[]) => ImportedRow[],
    project: ProjectRow | null,
  ): Promise<void> {
    const db = this.db;
    // What the caller's code throws is the caller's (a refused line, a cancel), not a storage failure.
    const caller = { threw: false, error: undefined as unknown };
    const mark = (error: unknown): never => {
      if (!caller.threw) Object.assign(caller, { threw: true, error });
      throw error;
    };
    const iterator = batches[Symbol.asyncIterator]();
    const tables = project ? [db.imported, db.projects] : [db.imported];
    try {
      await db.transaction('rw', tables, async () => {
        for (;;) {
          const next = await Dexie.waitFor(
            Dexie.ignoreTransaction(() => iterator.next().catch(mark)),
            IMPORT_BATCH_WAIT_MS,
          );
          if (next.done) break;
          const stored = this.gate.each('imported', await db.imported.bulkGet(next.value.map((row) => row.key)));
          let rows: ImportedRow[] = [];
          try {
            rows = admit(next.value, stored);
          } catch (error) {
            mark(error);
          }
          if (rows.length > 0) await db.imported.bulkPut(rows);
        }
        if (project) await db.projects.add(project);
      });
    } catch (error) {
      await iterator.return?.(undefined)?.catch(() => undefined);
      if (caller.threw) throw caller.error;
      throw toStorageError(error);
    }
  }
  saveLicenses(rows: readonly LicenseRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return guard(this.db.licenses.bulkPut([...rows]).then(() => undefined));
  }

  licenses(projectId: string): Promise<LicenseRow[]> {
    return guard(
      this.db.licenses
        .where('[projectId+path]')
        .between(...ofProject(projectId))
        .toArray()
        .then((rows) => this.gate.keep('licenses', rows)),
    );
  }

  findings(projectId: string, sampleIds: readonly string[]): Promise<(FindingsRow | undefined)[]> {
    const keys = sampleIds.map((id) => `${projectId}|${id}`);
    return guard(this.db.findings.bulkGet(keys).then((rows) => this.gate.each('findings', rows)));
  }

  saveFindings(rows: readonly FindingsRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return guard(this.db.findings.bulkPut([...rows]).then(() => undefined));
  }

  pruneFindings(projectId: string, keep: ReadonlySet<string>): Promise<number> {
    // Keys only: a project's screenings are small rows, but there can be 100,000 of them.
    const prefix = `${projectId}|`;
    return guard(
      (async () => {
        const keys = await this.db.findings.where('projectId').equals(projectId).primaryKeys();
        const stale = keys.filter((key) => !keep.has(key.slice(prefix.length)));
        if (stale.length > 0) await this.db.findings.bulkDelete(stale);
        return stale.length;
      })(),
    );
  }
}

function paths(keys: [string, string][]): string[] {
  return keys.map(([, path]) => path);
}

/** Moves a project's counters; a project row that cannot be read (reported elsewhere) is left as it is. */
async function bump(db: SemiverseDb, projectId: string, change: (counts: ProjectCounts) => void): Promise<void> {
  const stored = await db.projects.get(projectId);
  const read = checked<ProjectRow>('projects', projectId, stored, checkProject);
  if (!read.ok) return;
  const project = read.row;
  const counts = structuredClone(project.counts);
  change(counts);
  await db.projects.update(projectId, { counts, updatedAt: Date.now() });
}
