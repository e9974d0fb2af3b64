/**
 * A call's reply crosses a worker boundary: check its shape before use. Only ok | exception | memory come
 * from a worker; timeout and crashed are the pool's to say.
 */
import type { CallPhase, CallResult, Canon, Captured } from '../../domain/run.ts';
import { ShapeError, bool, obj, oneOf, str, type Obj } from '../../lib/guard.ts';

const PHASES: readonly CallPhase[] = ['program', 'call', 'value'];

export function parseCallReply(value: unknown): CallResult {
  const r = obj(value, 'reply');
  const stdout = captured(r, 'stdout');
  const stderr = captured(r, 'stderr');
  switch (str(r, 'kind', 'reply')) {
    case 'ok':
      return { kind: 'ok', value: canon(r['value'], 'reply.value'), text: str(r, 'text', 'reply'), stdout, stderr };
    case 'exception': {
      const phase = oneOf(r, 'phase', 'reply', PHASES);
      return {
        kind: 'exception',
        phase,
        type: str(r, 'type', 'reply'),
        message: str(r, 'message', 'reply'),
        traceback: str(r, 'traceback', 'reply'),
        stdout,
        stderr,
      };
    }
    case 'memory':
      return {
        kind: 'memory',
        phase: oneOf(r, 'phase', 'reply', PHASES),
        detail: str(r, 'detail', 'reply'),
        stdout,
        stderr,
      };
    default:
      throw new ShapeError(`reply.kind: "${String(r['kind'])}" is not a kind a worker may report`);
  }
}

function captured(r: Obj, key: string): Captured {
  const c = obj(r[key], `reply.${key}`);
  return { text: str(c, 'text', key), truncated: bool(c, 'truncated', key) };
}

function canon(value: unknown, path: string): Canon {
  const node = obj(value, path);
  if (typeof node['t'] !== 'string') throw new ShapeError(`${path}.t: not a string`);
  return node as Canon;
}
