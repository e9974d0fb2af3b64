/**
 * Replies of runCases and mutateCases as a worker could send them: what fits is typed, anything else (a
 * forged or corrupted reply) is refused with the path of the first field that is wrong.
 */
import { describe, expect, it } from 'vitest';
import { parseCasesReply } from './parseCasesReply.ts';
import { parseMutateReply } from './parseMutateReply.ts';

const run = {
  stdout: { text: '', truncated: false },
  ms: 0.5,
  lines: [2, 3],
  test: 'assert f(1) == 2',
  testless: null,
  usesHelper: false,
};
const okCase = { kind: 'ok', value: { t: 'int', v: '2' }, argsAfter: [null], ...run };

describe('parseCasesReply', () => {
  it('types every kind of case', () => {
    const reply = {
      ok: true,
      executable: [2, 3, 5],
      helper: null,
      cases: [
        okCase,
        { kind: 'exception', phase: 'call', type: 'ValueError', message: 'no', ...run, test: null, testless: 'why' },
        { kind: 'invalid', reason: 'arity', detail: 'too many positional arguments' },
        { kind: 'memory' },
      ],
    };
    expect(parseCasesReply(reply, 4)).toEqual({ kind: 'ran', ...reply, ok: undefined });
  });

  it('types a failed program or entry point', () => {
    const exception = { type: 'NameError', message: 'x', traceback: '' };
    expect(parseCasesReply({ ok: false, phase: 'entry', exception })).toEqual({
      kind: 'failed',
      phase: 'entry',
      exception,
    });
  });

  it.each([
    ['no ok flag', { cases: [] }, 'reply.ok'],
    [
      'a kind only the pool may say',
      { ok: true, executable: null, helper: null, cases: [{ kind: 'timeout' }] },
      'reply.cases[0].kind',
    ],
    [
      'a value that is not canonical',
      { ok: true, executable: null, helper: null, cases: [{ ...okCase, value: 2 }] },
      'reply.cases[0].value',
    ],
    [
      'a negative duration',
      { ok: true, executable: null, helper: null, cases: [{ ...okCase, ms: -1 }] },
      'reply.cases[0].ms',
    ],
    ['lines that are not integers', { ok: true, executable: ['1'], helper: null, cases: [] }, 'reply.executable[0]'],
    [
      'a test and a reason for none',
      { ok: true, executable: null, helper: null, cases: [{ ...okCase, testless: 'x' }] },
      'reply.cases[0]',
    ],
    [
      'an unknown reason',
      { ok: true, executable: null, helper: null, cases: [{ kind: 'invalid', reason: 'x', detail: '' }] },
      'reason',
    ],
    [
      'an unknown phase',
      { ok: false, phase: 'call', exception: { type: 'a', message: 'b', traceback: '' } },
      'reply.phase',
    ],
  ])('refuses %s', (_name, reply, path) => {
    expect(() => parseCasesReply(reply)).toThrow(path);
  });

  it('refuses a reply with another number of cases than the job had', () => {
    expect(() => parseCasesReply({ ok: true, executable: null, helper: null, cases: [okCase] }, 2)).toThrow(
      '1 outcomes for 2 cases',
    );
  });
});

describe('parseMutateReply', () => {
  it('types argument sets, keyword names included (even __proto__)', () => {
    const reply = JSON.parse('{"cases": [{"args": ["1"]}, {"args": [], "kwargs": {"__proto__": "2"}}]}') as unknown;
    const parsed = parseMutateReply(reply);
    expect(parsed.kind === 'mutated' && parsed.cases[1]!.kwargs).toEqual(JSON.parse('{"__proto__": "2"}'));
    expect(parsed.kind === 'mutated' && Object.getPrototypeOf(parsed.cases[1]!.kwargs)).toBe(Object.prototype);
  });

  it.each([
    ['no cases', {}, 'reply.cases'],
    ['an argument that is not text', { cases: [{ args: [1] }] }, 'reply.cases[0].args[0]'],
    ['a keyword value that is not text', { cases: [{ args: [], kwargs: { k: 1 } }] }, 'reply.cases[0].kwargs.k'],
  ])('refuses %s', (_name, reply, path) => {
    expect(() => parseMutateReply(reply)).toThrow(path);
  });
});
