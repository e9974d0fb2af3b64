/**
 * How rows written by earlier releases become rows of this one. Each schema change adds one step here and
 * one fixture database to test/fixtures/db (made by `npm run fixture:db` on the release before the change),
 * which test/unit/storageUpgrade.test.ts opens with this release.
 *
 * Steps are pure functions on plain rows (unit-tested on their own) driven by Dexie's upgrade in db.ts,
 * which runs them inside the version-change transaction: a database is either wholly upgraded or not at all.
 */
import type { Transaction } from 'dexie';

type Row = Record<string, unknown>;

/**
 * Schema 1 → 2 (Dexie version 3).
 * - A nondeterministic result was an `error` with the invented exception type NondeterministicResult; it is
 *   now its own outcome. Schema 1 kept only the message, so the two runs are recorded as unknown (null).
 * - ProjectRow.message (English) became `notice` (a code the UI words); an old message is kept as `legacy`.
 * - OutcomeRow names the Python that ran it. Release 0.1.0 (schema 1) always ran the pinned pyodide 314.0.7,
 *   whose Python is CPython 3.14.2: that is what its rows get.
 */
export const SCHEMA_1_RUNTIME = 'CPython 3.14.2 (Pyodide 314.0.7)';

/** Returns whether the outcome was a schema-1 nondeterministic result (the caller moves its counters). */
export function upgradeOutcome1to2(row: Row): boolean {
  row['schemaVersion'] = 2;
  if (typeof row['runtime'] !== 'string') row['runtime'] = SCHEMA_1_RUNTIME;
  const outcome = row['outcome'] as Row | undefined;
  const exception = outcome?.['exception'] as Row | undefined;
  if (outcome?.['status'] !== 'error' || exception?.['type'] !== 'NondeterministicResult') return false;
  const message = typeof exception['message'] === 'string' ? exception['message'] : '';
  row['outcome'] = {
    status: 'nondeterministic',
    first: null,
    second: null,
    detail: message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.'),
  };
  return true;
}

/** The function summaries of a file whose ids are in `nondeterministic` move from error to nondeterministic. */
export function upgradeFile1to2(row: Row, nondeterministic: ReadonlySet<string>): void {
  row['schemaVersion'] = 2;
  const functions = row['functions'];
  if (!Array.isArray(functions)) return;
  for (const fn of functions as Row[])
    if (typeof fn['id'] === 'string' && nondeterministic.has(fn['id']) && fn['status'] === 'error')
      fn['status'] = 'nondeterministic';
}

/** `moved`: how many of the project's functions upgradeFile1to2 moved. */
export function upgradeProject1to2(row: Row, moved: number): void {
  row['schemaVersion'] = 2;
  const message = row['message'];
  row['notice'] = typeof message === 'string' && message !== '' ? { code: 'legacy', text: message } : null;
  delete row['message'];
  const byStatus = (row['counts'] as Row | undefined)?.['byStatus'] as Row | undefined;
  if (byStatus) {
    byStatus['nondeterministic'] = moved;
    if (typeof byStatus['error'] === 'number') byStatus['error'] -= moved;
  }
}

export async function upgrade1to2(tx: Transaction): Promise<void> {
  const moved = new Set<string>();
  const movedPerProject = new Map<string, number>();
  await tx
    .table('outcomes')
    .toCollection()
    .modify((row: Row) => {
      if (upgradeOutcome1to2(row)) {
        moved.add(String(row['id']));
        const project = String(row['projectId']);
        movedPerProject.set(project, (movedPerProject.get(project) ?? 0) + 1);
      }
    });
  await tx
    .table('files')
    .toCollection()
    .modify((row: Row) => upgradeFile1to2(row, moved));
  for (const table of ['sources', 'skipped'])
    await tx
      .table(table)
      .toCollection()
      .modify((row: Row) => void (row['schemaVersion'] = 2));
  await tx
    .table('projects')
    .toCollection()
    .modify((row: Row) => upgradeProject1to2(row, movedPerProject.get(String(row['id'])) ?? 0));
}

/**
 * Schema 2 → 3 (Dexie version 4): a project says how it is run; every project before was natural mode.
 * Only projects change shape; the new tables start empty.
 */
export function upgradeProject2to3(row: Row): void {
  row['schemaVersion'] = 3;
  row['pipeline'] ??= { mode: 'natural' };
}

export async function upgrade2to3(tx: Transaction): Promise<void> {
  await tx.table('projects').toCollection().modify(upgradeProject2to3);
}
