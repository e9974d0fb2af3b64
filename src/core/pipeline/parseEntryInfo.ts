/** An entry point's description crosses a worker boundary: checked before the select stage trusts it. */
import type { EntryInfo } from '../../domain/pipeline.ts';
import { asString, bool, int, list, obj, oneOf, ShapeError } from '../../lib/guard.ts';

const KINDS = ['function', 'staticmethod', 'classmethod', 'method', 'property'] as const;

export function parseEntryInfo(value: unknown): EntryInfo {
  const o = obj(value, 'entry');
  if (o['found'] === false)
    return { found: false, detail: typeof o['detail'] === 'string' ? o['detail'] : 'not found in its program' };
  if (o['found'] !== true) throw new ShapeError('entry.found: not a boolean');
  const p = obj(o['params'], 'entry.params');
  const max = p['max'] === null ? null : int(p, 'max', 'entry.params');
  return {
    found: true,
    kind: oneOf(o, 'kind', 'entry', KINDS),
    isAsync: bool(o, 'isAsync', 'entry'),
    generator: bool(o, 'generator', 'entry'),
    params: {
      names: list(p, 'names', 'entry.params', asString),
      required: int(p, 'required', 'entry.params'),
      max,
      varargs: bool(p, 'varargs', 'entry.params'),
      varkw: bool(p, 'varkw', 'entry.params'),
    },
    decorators: list(o, 'decorators', 'entry', asString),
  };
}
