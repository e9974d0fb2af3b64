/**
 * Every row read from IndexedDB is checked here before the app uses it: a row written by a newer release,
 * damaged, or edited by hand becomes an UnreadableRow (table, key, reason) that is reported and left out,
 * never a crash further in. Rows of older schemas never reach these checks: the database upgrade
 * (upgrades.ts) rewrites them when it opens.
 *
 * Checks throw ShapeError (lib/guard.ts) naming the first field that does not fit; `checked` turns that
 * into a result. Rows are returned as stored (checking, not copying: the function table reads tens of
 * thousands of summaries at once).
 */
import { parseFunction } from '../../core/extract/parseExtractReply.ts';
import { checkRecord } from '../../core/import/parseLine.ts';
import { parseRunOutcome } from '../../core/verify/parseRunOutcome.ts';
import type { DedupRow, FindingsRow, ImportedRow, LicenseRow } from '../../domain/dataset.ts';
import { SKIP_REASONS } from '../../domain/ingest.ts';
import {
  DROP_REASONS,
  LLM_STAGES,
  type DropReason,
  type LlmCallRow,
  type StageDataRow,
  type StageRow,
} from '../../domain/pipeline.ts';
import {
  SCHEMA_VERSION,
  type FileRow,
  type OutcomeRow,
  type ProjectRow,
  type SkipBatchRow,
  type SourceRow,
  type TextRow,
} from '../../domain/records.ts';
import { FUNCTION_STATUSES, type RunOutcome } from '../../domain/verify.ts';
import type { UnreadableRow } from '../../domain/views.ts';
import { ShapeError, asString, bool, int, list, obj, oneOf, str, type Obj } from '../../lib/guard.ts';

export type Checked<T> = { ok: true; row: T } | { ok: false; problem: UnreadableRow };

export function checked<T>(table: string, key: string, row: unknown, check: (row: Obj) => void): Checked<T> {
  try {
    const o = obj(row, table);
    version(o, SHAPE_SINCE[table as keyof typeof SHAPE_SINCE] ?? SCHEMA_VERSION);
    check(o);
    return { ok: true, row: row as T };
  } catch (error) {
    const reason = error instanceof ShapeError ? error.message : `unexpected ${String(error)}`;
    return { ok: false, problem: { table, key, reason } };
  }
}

/**
 * The schema at which each table's rows last changed shape. Older rows should have been rewritten by the
 * upgrade; an upgrade only rewrites the tables whose shape changed.
 */
const SHAPE_SINCE = {
  projects: 3,
  files: 2,
  sources: 2,
  skipped: 2,
  outcomes: 2,
  stages: 3,
  stageData: 3,
  llmCalls: 3,
  dedup: 4,
  findings: 4,
  licenses: 4,
  imported: 4,
} as const;

function version(o: Obj, since: number): void {
  const v = o['schemaVersion'];
  if (v === undefined) return; // texts carry none: written once, never changed
  if (typeof v !== 'number') throw new ShapeError('schemaVersion: not a number');
  if (v > SCHEMA_VERSION)
    throw new ShapeError(`written by a newer release (schema ${v}; this one reads up to ${SCHEMA_VERSION})`);
  if (v < since) throw new ShapeError(`schema ${v} was not upgraded to ${since}`);
}

const PHASES = [
  'ingesting',
  'extracting',
  'deduplicating',
  'verifying',
  'generating',
  'screening',
  'done',
  'failed',
] as const;
const ORIGINS = ['drop', 'picker', 'zip', 'import'] as const;
const FILE_STATES = ['pending', 'extracted', 'failed'] as const;
const FN_KINDS = ['function', 'method', 'nested'] as const;
const MODULE_ORIGINS = ['stdlib', 'third_party', 'local', 'unavailable'] as const;
const SKIP_REASON_KEYS = Object.keys(SKIP_REASONS) as (keyof typeof SKIP_REASONS)[];
const COUNTS = ['seen', 'filesAccepted', 'filesSkipped', 'filesExtracted', 'filesFailed', 'functions'] as const;
const NOTICE_CODES = [
  'storage-quota',
  'storage',
  'python-unavailable',
  'internal',
  'ingest-interrupted',
  'empty',
  'no-python',
  'llm-missing',
  'llm-mismatch',
  'llm-stopped',
  'legacy',
] as const;

const num = (o: Obj, key: string, path: string): number => {
  const value = o[key];
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ShapeError(`${path}.${key}: not a number`);
  return value;
};

export function checkProject(p: Obj): void {
  str(p, 'id', 'project');
  str(p, 'name', 'project');
  oneOf(p, 'origin', 'project', ORIGINS);
  oneOf(p, 'phase', 'project', PHASES);
  bool(p, 'ingestComplete', 'project');
  for (const key of ['createdAt', 'updatedAt', 'startedAt']) num(p, key, 'project');
  if (p['finishedAt'] !== null) num(p, 'finishedAt', 'project');
  if (p['notice'] !== null) oneOf(obj(p['notice'], 'project.notice'), 'code', 'project.notice', NOTICE_CODES);
  const settings = obj(p['settings'], 'project.settings');
  int(settings, 'timeoutMs', 'project.settings');
  if (settings['dedup'] !== undefined) {
    const dedup = obj(settings['dedup'], 'project.settings.dedup');
    num(dedup, 'threshold', 'project.settings.dedup');
    int(dedup, 'numPerm', 'project.settings.dedup');
  }
  if (p['dedup'] !== undefined) {
    const summary = obj(p['dedup'], 'project.dedup');
    for (const key of ['files', 'filesDone', 'functions', 'clusters', 'exact', 'near'])
      int(summary, key, 'project.dedup');
    obj(summary['settings'], 'project.dedup.settings');
  }
  checkPipelineConfig(obj(p['pipeline'], 'project.pipeline'));
  list(p, 'localModules', 'project', asString);
  const counts = obj(p['counts'], 'project.counts');
  for (const key of [...COUNTS, 'withDoctests', 'doctestsRun']) int(counts, key, 'project.counts');
  const byStatus = obj(counts['byStatus'], 'project.counts.byStatus');
  for (const status of FUNCTION_STATUSES) int(byStatus, status, 'project.counts.byStatus');
}

export function checkFile(f: Obj): void {
  str(f, 'projectId', 'file');
  str(f, 'path', 'file');
  int(f, 'size', 'file');
  str(f, 'sha256', 'file');
  oneOf(f, 'state', 'file', FILE_STATES);
  if (f['error'] !== null) str(obj(f['error'], 'file.error'), 'message', 'file.error');
  if (f['segments'] !== null) list(f, 'segments', 'file', segment);
  list(f, 'modules', 'file', (v, p) => {
    const m = obj(v, p);
    str(m, 'name', p);
    oneOf(m, 'origin', p, MODULE_ORIGINS);
  });
  list(f, 'functions', 'file', (v, p) => {
    const s = obj(v, p);
    str(s, 'id', p);
    str(s, 'qualname', p);
    int(s, 'lineno', p);
    int(s, 'endLine', p);
    oneOf(s, 'kind', p, FN_KINDS);
    int(s, 'exampleCount', p);
    bool(s, 'runnable', p);
    oneOf(s, 'status', p, FUNCTION_STATUSES);
  });
}

function segment(value: unknown, path: string): void {
  if (typeof value === 'string') return;
  if (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n))) return;
  throw new ShapeError(`${path}: not a segment`);
}

export function checkText(t: Obj): void {
  str(t, 'projectId', 'text');
  str(t, 'path', 'text');
  str(t, 'sha256', 'text');
  str(t, 'text', 'text');
}

export function checkSource(s: Obj): void {
  str(s, 'projectId', 'source');
  str(s, 'path', 'source');
  list(s, 'fns', 'source', (v, p) => parseFunction(v, p, Number.MAX_SAFE_INTEGER));
  list(s, 'programs', 'source', (v, p) => (v === null ? null : asString(v, p)));
}

export function checkSkipBatch(b: Obj): void {
  str(b, 'projectId', 'skipped');
  str(b, 'path', 'skipped');
  list(b, 'entries', 'skipped', (v, p) => {
    const e = obj(v, p);
    str(e, 'path', p);
    bool(e, 'isDir', p);
    oneOf(e, 'reason', p, SKIP_REASON_KEYS);
  });
}

export function checkOutcome(o: Obj): void {
  str(o, 'id', 'outcome');
  str(o, 'projectId', 'outcome');
  str(o, 'path', 'outcome');
  str(o, 'program', 'outcome');
  str(o, 'runtime', 'outcome');
  num(o, 'durationMs', 'outcome');
  num(o, 'finishedAt', 'outcome');
  storedOutcome(o['outcome'], 'outcome.outcome');
}

/** A stored outcome: what a worker may return, plus what only the app makes (nondeterministic). */
export function storedOutcome(value: unknown, path: string): RunOutcome {
  const o = obj(value, path);
  if (o['status'] !== 'nondeterministic') return parseRunOutcome(value);
  const run = (key: string): void => {
    if (o[key] === null) return;
    const r = obj(o[key], `${path}.${key}`);
    int(r, 'seed', `${path}.${key}`);
    int(r, 'hashSeed', `${path}.${key}`);
    storedOutcome(r['outcome'], `${path}.${key}.outcome`);
  };
  run('first');
  run('second');
  str(o, 'detail', path);
  return value as RunOutcome;
}

const ENGINES = ['webllm', 'openai'] as const;
const STATUSES = ['kept', 'dropped'] as const;

function checkPipelineConfig(c: Obj): void {
  const mode = oneOf(c, 'mode', 'project.pipeline', ['natural', 'llm'] as const);
  if (mode === 'natural') return;
  const model = obj(c['model'], 'project.pipeline.model');
  oneOf(model, 'engine', 'project.pipeline.model', ENGINES);
  str(model, 'id', 'project.pipeline.model');
  const settings = obj(c['settings'], 'project.pipeline.settings');
  for (const part of ['instruct', 'judge', 'probe', 'oracle', 'solve'])
    obj(settings[part], `project.pipeline.settings.${part}`);
  num(settings, 'seed', 'project.pipeline.settings');
}

export function checkStage(s: Obj): void {
  for (const key of ['id', 'projectId', 'functionId', 'path', 'fingerprint', 'detail']) str(s, key, 'stage');
  oneOf(s, 'stage', 'stage', LLM_STAGES);
  oneOf(s, 'status', 'stage', STATUSES);
  if (s['reason'] !== null) oneOf(s, 'reason', 'stage', Object.keys(DROP_REASONS) as DropReason[]);
  num(s, 'tokens', 'stage');
  num(s, 'ms', 'stage');
}

export function checkStageData(d: Obj): void {
  str(d, 'id', 'stageData');
  str(d, 'projectId', 'stageData');
  oneOf(obj(d['output'], 'stageData.output'), 'stage', 'stageData.output', LLM_STAGES);
}

export function checkLlmCall(c: Obj): void {
  for (const key of ['key', 'projectId', 'functionId']) str(c, key, 'llmCall');
  oneOf(c, 'stage', 'llmCall', LLM_STAGES);
  obj(c['request'], 'llmCall.request');
  const result = obj(c['result'], 'llmCall.result');
  str(result, 'text', 'llmCall.result');
  list(result, 'choices', 'llmCall.result', (v, p) => str(obj(v, p), 'text', p));
  obj(result['usage'], 'llmCall.result.usage');
}

export function checkDedup(d: Obj): void {
  str(d, 'functionId', 'dedup');
  str(d, 'projectId', 'dedup');
  str(d, 'path', 'dedup');
  str(d, 'qualname', 'dedup');
  int(d, 'lineno', 'dedup');
  int(d, 'size', 'dedup');
  if (d['duplicateOf'] !== null) str(d, 'duplicateOf', 'dedup');
  if (d['kind'] !== null) oneOf(d, 'kind', 'dedup', ['exact', 'near'] as const);
  if (d['similarity'] !== null) num(d, 'similarity', 'dedup');
  if (d['matched'] !== null) {
    const m = obj(d['matched'], 'dedup.matched');
    str(m, 'functionId', 'dedup.matched');
    num(m, 'similarity', 'dedup.matched');
  }
  // A copy names its representative and how it matched; a representative names neither.
  if ((d['duplicateOf'] === null) !== (d['kind'] === null))
    throw new ShapeError('dedup.kind: does not fit duplicateOf');
}

export function checkFindings(f: Obj): void {
  for (const key of ['key', 'projectId', 'sampleId', 'path', 'contentKey']) str(f, key, 'findings');
  list(f, 'findings', 'findings', (v, p) =>
    oneOf(obj(v, p), 'kind', p, ['benchmark', 'secret', 'pii', 'duplicate-instruction'] as const),
  );
  if (f['pythonVersion'] !== null) str(f, 'pythonVersion', 'findings');
}

export function checkLicense(l: Obj): void {
  str(l, 'projectId', 'license');
  str(l, 'path', 'license');
  oneOf(l, 'source', 'license', ['file', 'spdx-header'] as const);
}

export function checkImported(i: Obj): void {
  for (const key of ['key', 'projectId', 'id', 'importId']) str(i, key, 'imported');
  int(i, 'line', 'imported');
  obj(i['record'], 'imported.record');
  if (i['key'] !== `${String(i['projectId'])}|${String(i['id'])}`)
    throw new ShapeError('imported.key: not projectId|id');
  // The line is exported again as it is: it must still be a line of the export's schema, with this id.
  const record = checkRecord(i['record']);
  if (!record.ok)
    throw new ShapeError(
      `imported.record${record.problem.field ? `.${record.problem.field}` : ''}: ${record.problem.reason}`,
    );
  if (record.record.id !== i['id']) throw new ShapeError("imported.record.id: not the row's id");
}

export const ROW_CHECKS = {
  projects: checkProject,
  files: checkFile,
  texts: checkText,
  sources: checkSource,
  skipped: checkSkipBatch,
  outcomes: checkOutcome,
  stages: checkStage,
  stageData: checkStageData,
  llmCalls: checkLlmCall,
  dedup: checkDedup,
  findings: checkFindings,
  licenses: checkLicense,
  imported: checkImported,
} as const;

export type CheckedTables = {
  projects: ProjectRow;
  files: FileRow;
  texts: TextRow;
  sources: SourceRow;
  skipped: SkipBatchRow;
  outcomes: OutcomeRow;
  stages: StageRow;
  stageData: StageDataRow;
  llmCalls: LlmCallRow;
  dedup: DedupRow;
  findings: FindingsRow;
  licenses: LicenseRow;
  imported: ImportedRow;
};
