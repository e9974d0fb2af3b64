/**
 * The normaliser's reply (semiverse_normalise.py), checked: it crosses a worker boundary, and a worker
 * that ran a dropped repository's code may have forged it. A reply that does not fit throws ShapeError.
 */
import type { NormaliseReply, NormalisedFunction } from '../../domain/dataset.ts';
import { ShapeError, asString, bool, list, obj, str } from '../../lib/guard.ts';

/** More tokens than any function a person writes (the largest in the standard library has ~30,000). */
const MAX_TOKENS = 500_000;

export function parseNormaliseReply(value: unknown, count: number): NormaliseReply {
  const o = obj(value, 'normalise');
  if (!bool(o, 'ok', 'normalise')) return { ok: false, error: str(o, 'error', 'normalise').slice(0, 2000) };
  const functions = list(o, 'functions', 'normalise', (v, path): NormalisedFunction | null => {
    if (v === null) return null;
    const f = obj(v, path);
    const hash = str(f, 'hash', path);
    if (!/^[0-9a-f]{32}$/.test(hash)) throw new ShapeError(`${path}.hash: not a 128-bit hex digest`);
    if (Array.isArray(f['tokens']) && f['tokens'].length > MAX_TOKENS) throw new ShapeError(`${path}.tokens: too many`);
    return { hash, tokens: list(f, 'tokens', path, asString) };
  });
  if (functions.length !== count) throw new ShapeError(`normalise.functions: ${functions.length} for ${count} asked`);
  return { ok: true, functions };
}
