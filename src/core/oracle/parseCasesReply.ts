/**
 * A batch of cases comes back across a worker boundary, from a worker that ran untrusted code: check its
 * shape before anything is believed. A reply that does not fit throws a ShapeError naming the first field
 * that is wrong (the pool turns it into `crashed`). Only `ran` and `failed` come from a worker; `timeout`
 * and `crashed` are the pool's to say.
 */
import type { CaseOutcome, CaseRun, CasesResult, InvalidReason } from '../../domain/cases.ts';
import type { Canon, Captured } from '../../domain/run.ts';
import { ShapeError, asInt, bool, list, obj, oneOf, str, strOrNull, type Obj } from '../../lib/guard.ts';

const REASONS: readonly InvalidReason[] = ['literal', 'arity', 'type'];

/** `expectedCases`: how many cases the job had; a reply with another number is not the job's. */
export function parseCasesReply(value: unknown, expectedCases?: number): CasesResult {
  const r = obj(value, 'reply');
  if (r['ok'] === false) {
    const e = obj(r['exception'], 'reply.exception');
    return {
      kind: 'failed',
      phase: oneOf(r, 'phase', 'reply', ['program', 'entry'] as const),
      exception: {
        type: str(e, 'type', 'exception'),
        message: str(e, 'message', 'exception'),
        traceback: str(e, 'traceback', 'exception'),
      },
    };
  }
  if (r['ok'] !== true) throw new ShapeError('reply.ok: not a boolean');
  const cases = list(r, 'cases', 'reply', parseCase);
  if (expectedCases !== undefined && cases.length !== expectedCases)
    throw new ShapeError(`reply.cases: ${cases.length} outcomes for ${expectedCases} cases`);
  return {
    kind: 'ran',
    executable: r['executable'] === null ? null : list(r, 'executable', 'reply', asInt),
    helper: strOrNull(r, 'helper', 'reply'),
    cases,
  };
}

function parseCase(value: unknown, path: string): CaseOutcome {
  const c = obj(value, path);
  switch (str(c, 'kind', path)) {
    case 'invalid':
      return { kind: 'invalid', reason: oneOf(c, 'reason', path, REASONS), detail: str(c, 'detail', path) };
    case 'memory':
      return { kind: 'memory' };
    case 'ok':
      return {
        kind: 'ok',
        value: canon(c['value'], `${path}.value`),
        argsAfter: list(c, 'argsAfter', path, (v, p) => (v === null ? null : canon(v, p))),
        ...run(c, path),
      };
    case 'exception':
      return {
        kind: 'exception',
        phase: oneOf(c, 'phase', path, ['call', 'value'] as const),
        type: str(c, 'type', path),
        message: str(c, 'message', path),
        ...run(c, path),
      };
    default:
      throw new ShapeError(`${path}.kind: "${String(c['kind'])}" is not a kind a worker may report`);
  }
}

function run(c: Obj, path: string): CaseRun {
  const ms = c['ms'];
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new ShapeError(`${path}.ms: not a duration`);
  const test = strOrNull(c, 'test', path);
  const testless = strOrNull(c, 'testless', path);
  if (test !== null && testless !== null) throw new ShapeError(`${path}: both a test and a reason for none`);
  return {
    stdout: captured(c, path),
    ms,
    lines: c['lines'] === null ? null : list(c, 'lines', path, asInt),
    test,
    testless,
    usesHelper: bool(c, 'usesHelper', path),
  };
}

function captured(c: Obj, path: string): Captured {
  const s = obj(c['stdout'], `${path}.stdout`);
  return { text: str(s, 'text', `${path}.stdout`), truncated: bool(s, 'truncated', `${path}.stdout`) };
}

function canon(value: unknown, path: string): Canon {
  const node = obj(value, path);
  if (typeof node['t'] !== 'string') throw new ShapeError(`${path}.t: not a string`);
  return node as Canon;
}
