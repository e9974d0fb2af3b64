/**
 * The comparator the verify stage uses: do two canonical values agree? It runs here, outside the worker
 * that ran the code (a worker can forge its own replies, so expected outputs never go into it).
 * Rules: same kinds and shapes throughout (a tuple never equals a list, 1 never equals 1.0 or True);
 * floats agree within a relative or absolute tolerance; NaN agrees with NaN; -0.0 agrees with 0.0 (as in
 * Python); markers for what was left out (cycle, deep, more, a cut string) agree only with the same marker.
 */
import type { Canon } from '../../domain/run.ts';

export type Tolerance = { rel: number; abs: number };

/** Python's math.isclose default rel_tol, and an absolute floor for results that should be zero. */
export const DEFAULT_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-12 };

export function sameValue(a: Canon, b: Canon, tolerance: Tolerance = DEFAULT_TOLERANCE): boolean {
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'float':
      return closeFloats(String(a['v']), String(b['v']), tolerance);
    case 'complex':
      return (
        closeFloats(String(a['re']), String(b['re']), tolerance) &&
        closeFloats(String(a['im']), String(b['im']), tolerance)
      );
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      return a['type'] === b['type'] && sameList(a['v'], b['v'], tolerance);
    case 'dict':
    case 'odict':
      return a['type'] === b['type'] && samePairs(a['v'], b['v'], tolerance);
    case 'exception':
      return a['type'] === b['type'] && sameList(a['args'], b['args'], tolerance);
    case 'obj':
      return a['type'] === b['type'] && sameFields(a, b, tolerance);
    default:
      return exact(a, b);
  }
}

/** Python's float text: repr digits, or 'inf', '-inf', 'nan' (which Number() would not read). */
function pythonFloat(text: string): number {
  const special: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN };
  return special[text] ?? Number(text);
}

function closeFloats(x: string, y: string, { rel, abs }: Tolerance): boolean {
  if (x === y) return true;
  const [a, b] = [pythonFloat(x), pythonFloat(y)];
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= Math.max(rel * Math.max(Math.abs(a), Math.abs(b)), abs);
}

function sameList(x: unknown, y: unknown, tolerance: Tolerance): boolean {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  return x.every((item, i) => sameValue(item as Canon, y[i] as Canon, tolerance));
}

function samePairs(x: unknown, y: unknown, tolerance: Tolerance): boolean {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  return x.every((pair, i) => sameList(pair, y[i], tolerance));
}

function sameFields(a: Canon, b: Canon, tolerance: Tolerance): boolean {
  const [fa, fb] = [a['fields'], b['fields']];
  if (fa === undefined || fb === undefined) return exact(a, b);
  const [ka, kb] = [Object.keys(fa as object).sort(), Object.keys(fb as object).sort()];
  if (ka.join('\0') !== kb.join('\0')) return false;
  const [ra, rb] = [fa as Record<string, Canon>, fb as Record<string, Canon>];
  return ka.every((key) => sameValue(ra[key]!, rb[key]!, tolerance));
}

function exact(a: Canon, b: Canon): boolean {
  return stable(a) === stable(b);
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
