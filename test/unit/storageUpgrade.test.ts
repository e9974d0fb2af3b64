/**
 * Stored data survives the next release: every database in test/fixtures/db (each written by an earlier
 * release with `npm run fixture:db`, see generate.fixture.ts) is loaded into IndexedDB exactly as that release
 * left it, then opened by this release. Its projects, functions, outcomes and export must come through
 * intact, every row must pass this release's checks, and the app must read it through the same ports the
 * UI and the pipeline use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { DexieReads } from '../../src/adapters/storage/reads.ts';
import { SettingsStore } from '../../src/adapters/storage/settingsStore.ts';
import { SCHEMA_1_RUNTIME } from '../../src/adapters/storage/upgrades.ts';
import { exportJsonl } from '../../src/core/export/exportJsonl.ts';
import { SCHEMA_VERSION, type ProjectRow } from '../../src/domain/records.ts';
import type { UnreadableRow } from '../../src/domain/views.ts';
import type { DbDump } from '../fixtures/db/generate.fixture.ts';

const DIR = new URL('../fixtures/db/', import.meta.url);
const fixtures = readdirSync(DIR).filter((name) => /^v\d+\.json$/.test(name));

/** Recreate the database exactly as the dump's release left it: same version, same stores, same rows. */
async function restore(dump: DbDump, name: string): Promise<void> {
  const old = new Dexie(name);
  old.version(dump.dbVersion).stores(Object.fromEntries(Object.entries(dump.tables).map(([t, d]) => [t, d.schema])));
  await old.open();
  for (const [table, { rows }] of Object.entries(dump.tables)) await old.table(table).bulkAdd(rows);
  expect(old.verno).toBe(dump.dbVersion);
  old.close();
}

function unreadable(reads: DexieReads): UnreadableRow[] {
  let rows: UnreadableRow[] = [];
  reads
    .unreadable()
    .subscribe({ next: (r) => (rows = r) })
    .unsubscribe();
  return rows;
}

it('has a fixture from every release whose schema this one upgrades', () => {
  expect(fixtures).toContain('v2.json');
});

describe.each(fixtures)('a database written by an earlier release (%s)', (file) => {
  const dump = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as DbDump;
  const stored = dump.tables as unknown as Record<string, { rows: Record<string, unknown>[] }>;

  it('opens with its projects, results and export intact', async () => {
    const name = `upgrade-${file}`;
    await restore(dump, name);
    const db = new SemiverseDb(name);
    const store = new DexieStore(db);
    const reads = new DexieReads(db, store.gate);

    const oldProjects = stored['projects']!.rows;
    let projects: ProjectRow[] = [];
    await new Promise<void>((resolve, reject) =>
      reads.projects().subscribe({ next: (rows) => ((projects = rows), resolve()), error: reject }),
    );
    expect(projects.map((p) => p.id)).toEqual(oldProjects.map((p) => p['id']));
    for (const project of projects) {
      const before = oldProjects.find((p) => p['id'] === project.id)!;
      // Upgraded to the schema its table last changed at (projects: 3), which this release reads; a row
      // written later keeps its own.
      expect(project.schemaVersion).toBe(Math.max(before['schemaVersion'] as number, Math.min(SCHEMA_VERSION, 3)));
      expect(project).toMatchObject({ name: before['name'], phase: before['phase'], finishedAt: before['finishedAt'] });
      const oldCounts = before['counts'] as ProjectRow['counts'];
      const { byStatus, ...rest } = project.counts;
      const { byStatus: oldByStatus, ...oldRest } = oldCounts;
      expect(rest).toEqual(oldRest);
      // Every function is counted under exactly one status, before and after.
      const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total(byStatus)).toBe(total(oldByStatus));
      expect(byStatus.passed).toBe(oldByStatus.passed);

      const rows = await reads.functionRows(project.id);
      expect(rows).toHaveLength(project.counts.functions);
      for (const status of Object.keys(byStatus) as (keyof typeof byStatus)[])
        expect(rows.filter((r) => r.status === status).length, status).toBe(byStatus[status]);

      // What that release exported, this one exports: same samples, same tests; the runtime is now named
      // by the Python that ran them (for schema 1, the pinned Pyodide 314.0.7 of release 0.1.0).
      const chunks: string[] = [];
      await exportJsonl(store, project, (chunk) => void chunks.push(chunk));
      const now = chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const then = dump.exported.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(now.length).toBe(then.length);
      expect(now.length).toBeGreaterThan(0);
      for (const [i, line] of now.entries()) {
        const { verification, ...fields } = line as { verification: Record<string, unknown> };
        const { verification: oldVerification, ...oldFields } = then[i] as { verification: Record<string, unknown> };
        expect(fields).toEqual(oldFields);
        expect(verification).toEqual({ ...oldVerification, runtime: SCHEMA_1_RUNTIME });
      }

      // The detail view of every function reads.
      for (const row of rows) {
        const detail = await new Promise<unknown>((resolve, reject) => {
          const sub = reads.detail(project.id, row).subscribe({
            next: (d) => {
              resolve(d);
              queueMicrotask(() => sub.unsubscribe());
            },
            error: reject,
          });
        });
        expect(detail).toMatchObject({ row: { id: row.id }, fn: { qualname: row.qualname } });
      }
      // Since schema 4: the dataset's tables (dedup clusters, licences, screenings) read back whole.
      const rowsOf = (table: string) => (stored[table]?.rows ?? []).filter((r) => r['projectId'] === project.id);
      expect(await reads.dedupRows(project.id)).toHaveLength(rowsOf('dedup').length);
      expect(await store.licenses(project.id)).toHaveLength(rowsOf('licenses').length);
      expect(await reads.screenedCount(project.id)).toBe(rowsOf('findings').length);
      expect(await reads.skipped(project.id)).toHaveLength(
        stored['skipped']!.rows.flatMap((b) => b['entries'] as unknown[]).length,
      );
    }
    expect(await new SettingsStore(db).engineChoice()).toEqual(stored['settings']!.rows[0]?.['value'] ?? null);
    expect(unreadable(reads)).toEqual([]);
    db.close();
  });

  it('keeps a nondeterministic result as its own outcome, with the message the old release wrote', async () => {
    const old = stored['outcomes']!.rows.filter(
      (o) => (o['outcome'] as { exception?: { type?: string } }).exception?.type === 'NondeterministicResult',
    );
    if (dump.dbVersion >= 3) return; // written after the change: nothing to convert
    expect(old.length).toBeGreaterThan(0);
    const name = `upgrade-nd-${file}`;
    await restore(dump, name);
    const db = new SemiverseDb(name);
    for (const row of old) {
      const now = await db.outcomes.get(row['id'] as string);
      expect(now?.outcome).toMatchObject({ status: 'nondeterministic', first: null, second: null });
      expect((now?.outcome as { detail: string }).detail).toMatch(/^The doctests passed, but their tests did not/);
      expect(now?.runtime).toBe(SCHEMA_1_RUNTIME);
    }
    db.close();
  });
});

describe('rows that cannot be read', () => {
  it('are left out and reported with the table, key and reason, not crashed on', async () => {
    const dump = JSON.parse(readFileSync(new URL('v2.json', DIR), 'utf8')) as DbDump;
    await restore(dump, 'upgrade-damaged');
    const db = new SemiverseDb('upgrade-damaged');
    await db.open();
    // A file with functions but none exported, so the export can show it goes on without it.
    const file = (await db.files.toArray()).find(
      (f) => f.functions.length > 0 && f.functions.every((fn) => fn.status !== 'passed'),
    )!;
    // A newer release's status, and a row damaged by hand.
    await db.files.update([file.projectId, file.path], {
      functions: file.functions.map((fn, i) => (i === 0 ? { ...fn, status: 'reviewed' as never } : fn)),
    });
    const project = (await db.projects.toArray())[0]!;
    await db.projects.add({ ...project, id: 'damaged', counts: null as never, updatedAt: 1 });
    await db.projects.add({ ...project, id: 'future', schemaVersion: SCHEMA_VERSION + 1, updatedAt: 2 });

    const store = new DexieStore(db);
    const reads = new DexieReads(db, store.gate);
    const rows = await reads.functionRows(project.id);
    expect(rows.some((r) => r.path === file.path)).toBe(false);
    expect(rows.length).toBe(project.counts.functions - file.functions.length);
    const projects = await new Promise<ProjectRow[]>((resolve) => reads.projects().subscribe({ next: resolve }));
    expect(projects.map((p) => p.id)).toEqual([project.id]);
    expect(await store.project('future')).toBeUndefined();

    const problems = unreadable(reads);
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          table: 'files',
          key: `${file.projectId}/${file.path}`,
          reason: expect.stringContaining('unexpected "reviewed"'),
        },
        { table: 'projects', key: 'damaged', reason: 'project.counts: not an object' },
        { table: 'projects', key: 'future', reason: expect.stringContaining('newer release') },
      ]),
    );
    // The export goes on without the unreadable file.
    const chunks: string[] = [];
    await exportJsonl(store, (await store.project(project.id))!, (chunk) => void chunks.push(chunk));
    expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(dump.exported.length);
    db.close();
  });
});
