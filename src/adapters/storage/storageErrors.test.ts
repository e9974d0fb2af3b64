/**
 * toStorageError on the error objects the browser and Dexie really make: DOMExceptions and Dexie's own
 * classes, wrapped the way Dexie wraps them. test/e2e/storageErrors.test.ts makes the same failures happen in
 * Chromium; this file pins the mapping of each shape, including ones Chromium cannot be made to produce.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { StorageError, isAbortError } from '../../domain/errors.ts';
import { guard, toStorageError } from './storageErrors.ts';

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const code = (error: unknown) => (toStorageError(error) as StorageError).code;

describe('toStorageError', () => {
  it('out of space: the DOMException, Dexie’s class, and an aborted transaction whose cause it was', () => {
    expect(code(quota())).toBe('quota');
    expect(code(new Dexie.QuotaExceededError('Quota exceeded', quota()))).toBe('quota');
    const aborted = new Dexie.AbortError('Transaction aborted', quota());
    expect(aborted.inner).toBeInstanceOf(DOMException);
    expect(code(aborted)).toBe('quota');
    // Dexie's bulk operations wrap the aborted transaction once more.
    expect(code(new Dexie.OpenFailedError(aborted))).toBe('quota');
  });

  it('a database newer than the page: VersionError alone or inside OpenFailedError', () => {
    const browser = new DOMException(
      'The requested version (10) is less than the existing version (20).',
      'VersionError',
    );
    expect(code(browser)).toBe('version');
    expect(code(new Dexie.VersionError('too old'))).toBe('version');
    expect(code(new Dexie.OpenFailedError(browser))).toBe('version');
  });

  it('no IndexedDB: MissingAPIError, and the DatabaseClosedError later queries get with it inside', () => {
    const missing = new Dexie.MissingAPIError();
    expect(code(missing)).toBe('unavailable');
    expect(code(new Dexie.OpenFailedError(missing))).toBe('unavailable');
    expect(code(new Dexie.DatabaseClosedError(missing))).toBe('unavailable');
    expect(code(new DOMException('A mutation operation was attempted', 'InvalidStateError'))).toBe('unavailable');
  });

  it('a database closed under the page is closed, whatever its message', () => {
    const closed = toStorageError(new Dexie.DatabaseClosedError());
    expect(closed).toBeInstanceOf(StorageError);
    expect(closed).toMatchObject({ name: 'StorageError', code: 'closed', message: expect.stringMatching(/reload/) });
  });

  it('an aborted transaction is a storage failure naming its cause, never a cancellation', () => {
    const constraint = new DOMException('Key already exists in the object store.', 'ConstraintError');
    const aborted = toStorageError(new Dexie.AbortError('Transaction aborted', constraint));
    expect(isAbortError(aborted)).toBe(false);
    expect(aborted).toMatchObject({
      code: 'unknown',
      message: 'Storage failed: Key already exists in the object store.',
    });
    const bare = toStorageError(new DOMException('The transaction was aborted.', 'AbortError'));
    expect(isAbortError(bare)).toBe(false);
    expect(bare).toMatchObject({ code: 'unknown' });
  });

  it('anything else is unknown with its message; a StorageError passes unchanged; a cycle of inners ends', () => {
    expect(toStorageError(new TypeError('x is not a function'))).toMatchObject({
      code: 'unknown',
      message: 'Storage failed: x is not a function',
    });
    expect(toStorageError('a string')).toMatchObject({ code: 'unknown', message: 'Storage failed: a string' });
    // Chromium's DOMExceptions often say nothing: the innermost cause that does, else the name.
    const wrapped = new Dexie.AbortError('Transaction aborted', new DOMException('', 'UnknownError'));
    expect(toStorageError(wrapped)).toMatchObject({
      message: expect.stringMatching(/^Storage failed: Transaction aborted/),
    });
    expect(toStorageError(new DOMException('', 'UnknownError'))).toMatchObject({
      message: 'Storage failed: UnknownError',
    });
    const same = new StorageError('quota', 'full');
    expect(toStorageError(same)).toBe(same);
    const looped = new Dexie.AbortError('a');
    (looped as { inner: unknown }).inner = looped;
    expect(code(looped)).toBe('unknown');
  });

  it('guard rethrows a failure as StorageError and passes a result through', async () => {
    expect(await guard(Promise.resolve(3))).toBe(3);
    await expect(guard(Promise.reject(new Dexie.QuotaExceededError('full', quota())))).rejects.toMatchObject({
      name: 'StorageError',
      code: 'quota',
    });
  });
});

describe('against a real Dexie database (fake-indexeddb)', () => {
  it('db.close() then a query: DatabaseClosedError, mapped to closed', async () => {
    const db = new Dexie(`closed-${crypto.randomUUID()}`);
    db.version(1).stores({ rows: 'id' });
    await db.table('rows').put({ id: 1 });
    db.close();
    const raw = await db
      .table('rows')
      .get(1)
      .catch((error: unknown) => error);
    expect(raw).toBeInstanceOf(Dexie.DatabaseClosedError);
    expect(code(raw)).toBe('closed');
    await Dexie.delete(db.name);
  });

  it('an aborted transaction rejects with Dexie’s AbortError: the app sees a StorageError, not a cancellation', async () => {
    const db = new Dexie(`abort-${crypto.randomUUID()}`);
    db.version(1).stores({ rows: 'id' });
    await db.table('rows').add({ id: 1 });
    const raw = await db
      .transaction('rw', db.table('rows'), (tx) => {
        void db.table('rows').add({ id: 2 });
        tx.abort();
      })
      .catch((error: unknown) => error);
    expect(raw).toMatchObject({ name: 'AbortError' });
    const mapped = toStorageError(raw);
    expect(mapped).toMatchObject({ name: 'StorageError', code: 'unknown' });
    expect(isAbortError(mapped)).toBe(false);
    expect(await db.table('rows').count()).toBe(1);
    db.close();
    await Dexie.delete(db.name);
  });
});
