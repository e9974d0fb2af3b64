/**
 * ReadPort over Dexie: what the UI reads. Live reads are Dexie liveQuery observables (they re-run when a
 * write touches what they read); big lists are loaded on demand and refreshed by the caller at a pace it
 * chooses. Every row passes its check (RowGate) first, and failures become StorageError.
 */
import { liveQuery } from 'dexie';
import type { Live, ReadPort, StageVerdict } from '../../core/ports.ts';
import type { FindingsRow } from '../../domain/dataset.ts';
import type { SkippedPath } from '../../domain/ingest.ts';
import type { DedupRow } from '../../domain/dataset.ts';
import { LLM_STAGES, type LlmCallRow, type StageDataRow, type StageRow } from '../../domain/pipeline.ts';
import type { FunctionRow, ProjectRow } from '../../domain/records.ts';
import type { FailedFile, FileCode, FunctionDetail, UnreadableRow } from '../../domain/views.ts';
import { ofProject, type SemiverseDb } from './db.ts';
import type { RowGate } from './rowGate.ts';
import { guard, toStorageError } from './storageErrors.ts';

export class DexieReads implements ReadPort {
  constructor(
    private readonly db: SemiverseDb,
    private readonly gate: RowGate,
  ) {}

  projects(): Live<ProjectRow[]> {
    const db = this.db;
    return live(
      liveQuery(async () => this.gate.keep('projects', await db.projects.orderBy('updatedAt').reverse().toArray())),
    );
  }

  async functionRows(projectId: string): Promise<FunctionRow[]> {
    const files = await guard(
      this.db.files
        .where('[projectId+path]')
        .between(...ofProject(projectId))
        .toArray(),
    );
    return this.gate.keep('files', files).flatMap((file) => file.functions.map((fn) => ({ ...fn, path: file.path })));
  }

  async skipped(projectId: string): Promise<SkippedPath[]> {
    const batches = await guard(
      this.db.skipped
        .where('[projectId+path]')
        .between(...ofProject(projectId))
        .toArray(),
    );
    return this.gate.keep('skipped', batches).flatMap((batch) => batch.entries);
  }

  async failedFiles(projectId: string): Promise<FailedFile[]> {
    const rows = await guard(this.db.files.where('[projectId+state]').equals([projectId, 'failed']).toArray());
    return this.gate.keep('files', rows).map(({ path, error }) => ({ path, error }));
  }

  detail(projectId: string, row: FunctionRow): Live<FunctionDetail> {
    const { db, gate } = this;
    return live(
      liveQuery(async () => {
        const [file, source, ran] = await Promise.all([
          db.files.get([projectId, row.path]).then((r) => gate.one('files', r)),
          db.sources.get([projectId, row.path]).then((r) => gate.one('sources', r)),
          db.outcomes.get(row.id).then((r) => gate.one('outcomes', r)),
        ]);
        const index = file?.functions.findIndex((fn) => fn.id === row.id) ?? -1;
        const summary = index >= 0 ? file!.functions[index]! : row;
        return { row: { ...summary, path: row.path }, fn: source?.fns[index], ran };
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

  async pipelineVerdicts(projectId: string): Promise<{ functions: string[]; verdicts: StageVerdict[] }> {
    const { db, gate } = this;
    const [files, stages] = await guard(
      Promise.all([
        db.files.where('[projectId+state]').equals([projectId, 'extracted']).toArray(),
        db.stages.where('projectId').equals(projectId).toArray(),
      ]),
    );
    // In file order, as the pipeline takes them (StoragePort.pipelineFunctions).
    const extracted = gate.keep('files', files).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      functions: extracted.flatMap((file) => file.functions.map((fn) => fn.id)),
      verdicts: gate.keep('stages', stages).map(({ functionId, path, stage, fingerprint, status, reason, tokens }) => ({
        functionId,
        path,
        stage,
        fingerprint,
        status,
        reason,
        tokens,
      })),
    };
  }

  async pipelineDetail(functionId: string): Promise<{ stages: StageRow[]; data: StageDataRow[]; calls: LlmCallRow[] }> {
    const { db, gate } = this;
    const [stageRows, callRows] = await guard(
      Promise.all([
        db.stages.where('functionId').equals(functionId).toArray(),
        db.llmCalls.where('functionId').equals(functionId).toArray(),
      ]),
    );
    const stages = gate
      .keep('stages', stageRows)
      .sort((a, b) => LLM_STAGES.indexOf(a.stage) - LLM_STAGES.indexOf(b.stage));
    const data = gate.keep('stageData', await guard(db.stageData.bulkGet(stages.map((s) => s.id))));
    const calls = gate.keep('llmCalls', callRows).sort((a, b) => a.at - b.at);
    return { stages, data, calls };
  }

  /**
   * The judge's chosen score of each given function (those without one are left out). Not on ReadPort: the
   * stage verdicts do not carry the score, so this reads the judge's outputs (a few KB each); callers read
   * it only while a person filters by score.
   */
  async judgeScores(functionIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await guard(this.db.stageData.bulkGet(functionIds.map((id) => `${id}#judge`)));
    const scores = new Map<string, number>();
    for (const row of this.gate.keep('stageData', rows)) {
      const output = row.output;
      if (output.stage !== 'judge' || output.chosen === null) continue;
      const score = output.candidates?.[output.chosen]?.score;
      if (typeof score === 'number') scores.set(row.id.slice(0, -'#judge'.length), score);
    }
    return scores;
  }

  unreadable(): Live<UnreadableRow[]> {
    return this.gate.live();
  }

  async dedupRows(projectId: string): Promise<DedupRow[]> {
    const rows = await guard(this.db.dedup.where('projectId').equals(projectId).toArray());
    return this.gate.keep('dedup', rows);
  }

  importedCount(projectId: string): Promise<number> {
    return guard(this.db.imported.where('projectId').equals(projectId).count());
  }

  async findingsWithMatches(projectId: string): Promise<FindingsRow[]> {
    const rows = await guard(
      this.db.findings
        .where('projectId')
        .equals(projectId)
        .filter((row: FindingsRow) => Array.isArray(row.findings) && row.findings.length > 0)
        .toArray(),
    );
    return this.gate
      .keep('findings', rows)
      .sort((a, b) => (a.sampleId < b.sampleId ? -1 : a.sampleId > b.sampleId ? 1 : 0));
  }

  screenedCount(projectId: string): Promise<number> {
    return guard(this.db.findings.where('projectId').equals(projectId).count());
  }

  async pythonVersionCounts(projectId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    // A cursor, not an array: a large project's screenings need not all be in memory at once.
    await guard(
      this.db.findings
        .where('projectId')
        .equals(projectId)
        .each((raw) => {
          const row = this.gate.one('findings', raw);
          if (!row) return;
          const version = row.pythonVersion ?? 'none';
          counts[version] = (counts[version] ?? 0) + 1;
        }),
    );
    return counts;
  }
}

/** A liveQuery whose errors arrive as StorageError, like every other read. */
function live<T>(observable: { subscribe: Live<T>['subscribe'] }): Live<T> {
  return {
    subscribe: (observer) =>
      observable.subscribe({
        next: observer.next,
        error: (error: unknown) => observer.error?.(toStorageError(error)),
      }),
  };
}
