/**
 * A canonical value (domain/run.ts Canon; every shape is listed in workers/python/harness/semiverse_canon.py)
 * written the way Python would show it, for people: `[1, (2, 'a')]`, `{'k': None}`, `Point(x=1, y=2)`.
 * Stored values are data from a worker that ran untrusted code: anything unexpected is shown as it is
 * (compact JSON) rather than trusted to have the fields its kind promises.
 */
import type { Canon } from '../domain/run.ts';

/** Past this many characters the text is cut (a value can hold 10,000 items). */
const MAX_CHARS = 2000;

export function canonText(value: unknown): string {
  const text = write(value);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}

function write(value: unknown): string {
  if (!isCanon(value)) return JSON.stringify(value) ?? String(value);
  const v = value['v'];
  switch (value.t) {
    case 'none':
      return 'None';
    case 'bool':
      return v ? 'True' : 'False';
    case 'int':
      return typeof v === 'string' ? v : String(value['hex'] ?? '?');
    case 'float':
      return v === 'nan' || v === 'inf' || v === '-inf' ? `float('${String(v)}')` : String(v);
    case 'complex':
      return `complex(${String(value['re'])}, ${String(value['im'])})`;
    case 'str':
      return pyString(String(v)) + cut(value);
    case 'bytes':
      return `bytes.fromhex('${String(v)}')${cut(value)}`;
    case 'list':
      return `${typed(value)}[${items(v)}]`;
    case 'tuple': {
      const list = Array.isArray(v) ? v : [];
      return `${typed(value)}(${items(list)}${list.length === 1 ? ',' : ''})`;
    }
    case 'set':
      return Array.isArray(v) && v.length > 0 ? `{${items(v)}}` : 'set()';
    case 'frozenset':
      return `frozenset({${items(v)}})`;
    case 'dict':
      return `${typed(value)}{${pairs(v)}}`;
    case 'odict':
      return `OrderedDict({${pairs(v)}})`;
    case 'range':
      return `range(${items(v, String)})`;
    case 'decimal':
      return `Decimal('${String(v)}')`;
    case 'fraction':
      return `Fraction(${String(v).replace('/', ', ')})`;
    case 'exception':
      return `${String(value['type'])}(${items(value['args'])})`;
    case 'obj':
      return obj(value);
    case 'cycle':
      return '[...]';
    case 'deep':
      return '…';
    case 'more':
      return `… ${String(value['n'])} more`;
    default:
      return JSON.stringify(value);
  }
}

function isCanon(value: unknown): value is Canon {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}

function items(list: unknown, each: (item: unknown) => string = write): string {
  return Array.isArray(list) ? list.map(each).join(', ') : '';
}

function pairs(list: unknown): string {
  if (!Array.isArray(list)) return '';
  return list.map((pair) => (Array.isArray(pair) ? `${write(pair[0])}: ${write(pair[1])}` : write(pair))).join(', ');
}

/** A subclass (namedtuple, Counter, defaultdict…) is named before its contents. */
function typed(value: Canon): string {
  return typeof value['type'] === 'string' ? `${value['type']} ` : '';
}

function obj(value: Canon): string {
  const type = String(value['type'] ?? 'object');
  const fields = value['fields'];
  if (typeof fields === 'object' && fields !== null) {
    const shown = Object.entries(fields).map(([name, field]) => `${name}=${write(field)}`);
    return `${type}(${shown.join(', ')})`;
  }
  return typeof value['v'] === 'string' ? value['v'] + cut(value) : type;
}

function cut(value: Canon): string {
  return typeof value['cut'] === 'number' ? `… (${value['cut']} in all)` : '';
}

/** Python's repr of a str: single quotes unless the text has one and no double quote. */
export function pyString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = [...text]
    .map((c) => {
      if (c === '\\') return '\\\\';
      if (c === quote) return `\\${quote}`;
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      const code = c.codePointAt(0)!;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
    })
    .join('');
  return `${quote}${escaped}${quote}`;
}

/** Line numbers as ranges: [3, 4, 5, 8] → "3–5, 8". */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** A call as Python source: `f(1, 'a', key=None)` (arguments are Python literals already). */
export function callText(
  entryPoint: string,
  args: { args: readonly string[]; kwargs?: Record<string, string> },
): string {
  const named = Object.entries(args.kwargs ?? {}).map(([name, value]) => `${name}=${value}`);
  return `${entryPoint}(${[...args.args, ...named].join(', ')})`;
}
