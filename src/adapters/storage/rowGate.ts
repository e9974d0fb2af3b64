/**
 * Where stored rows pass their checks (rowChecks.ts) on the way out of IndexedDB. Rows that fail are left
 * out of what the caller gets and remembered, once per row, for the UI to report (ReadPort.unreadable).
 */
import type { Live } from '../../core/ports.ts';
import type { UnreadableRow } from '../../domain/views.ts';
import { ROW_CHECKS, checked, type CheckedTables } from './rowChecks.ts';

type Table = keyof CheckedTables;

export class RowGate {
  #problems = new Map<string, UnreadableRow>();
  #listeners = new Set<(rows: UnreadableRow[]) => void>();

  /** The rows that pass, in order; the others are reported. */
  keep<T extends Table>(table: T, rows: readonly unknown[]): CheckedTables[T][] {
    const kept: CheckedTables[T][] = [];
    for (const row of rows) {
      if (row === undefined) continue;
      const result = checked<CheckedTables[T]>(table, keyOf(row), row, ROW_CHECKS[table]);
      if (result.ok) kept.push(result.row);
      else this.#report(result.problem);
    }
    return kept;
  }

  /** One row (undefined when absent or unreadable). */
  one<T extends Table>(table: T, row: unknown): CheckedTables[T] | undefined {
    return row === undefined ? undefined : this.keep(table, [row])[0];
  }

  /** Like `keep`, but keeps positions: an unreadable row becomes undefined (for bulkGet results). */
  each<T extends Table>(table: T, rows: readonly unknown[]): (CheckedTables[T] | undefined)[] {
    return rows.map((row) => this.one(table, row));
  }

  get problems(): UnreadableRow[] {
    return [...this.#problems.values()];
  }

  live(): Live<UnreadableRow[]> {
    return {
      subscribe: (observer) => {
        const listener = (rows: UnreadableRow[]): void => observer.next(rows);
        this.#listeners.add(listener);
        listener(this.problems);
        return { unsubscribe: () => void this.#listeners.delete(listener) };
      },
    };
  }

  #report(problem: UnreadableRow): void {
    const id = `${problem.table}:${problem.key}`;
    if (this.#problems.get(id)?.reason === problem.reason) return;
    this.#problems.set(id, problem);
    const rows = this.problems;
    for (const listener of this.#listeners) listener(rows);
  }
}

/** A readable name for a row whatever state it is in: its id, or project/path for per-file rows. */
function keyOf(row: unknown): string {
  if (typeof row !== 'object' || row === null) return String(row);
  const r = row as Record<string, unknown>;
  if (typeof r['path'] === 'string' && typeof r['projectId'] === 'string' && typeof r['id'] !== 'string')
    return `${r['projectId']}/${r['path']}`;
  if (typeof r['id'] === 'string') return r['id'];
  return typeof r['key'] === 'string' ? r['key'] : JSON.stringify(row).slice(0, 80);
}
