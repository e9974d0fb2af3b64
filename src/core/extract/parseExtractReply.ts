/**
 * The extractor's reply crosses a worker boundary: check every field before it is stored. A reply that
 * does not fit is a fault of the runner (or of code that forged its reply), reported as such.
 */
import type {
  Blocker,
  BlockerKind,
  DoctestExample,
  ExtractReply,
  ExtractedFunction,
  Segment,
} from '../../domain/extract.ts';
import {
  ShapeError,
  asInt,
  asString,
  bool,
  int,
  intOrNull,
  list,
  obj,
  oneOf,
  str,
  strOrNull,
  type Obj,
} from '../../lib/guard.ts';

const BLOCKER_KINDS: readonly BlockerKind[] = [
  'nested',
  'third_party',
  'local_module',
  'unavailable',
  'dedent',
  'analysis',
];
const ORIGINS = ['stdlib', 'third_party', 'local', 'unavailable'] as const;
const KINDS = ['function', 'method', 'nested'] as const;

export function parseExtractReply(value: unknown): ExtractReply {
  const reply = obj(value, 'reply');
  if (reply['ok'] === false) {
    const error = obj(reply['error'], 'reply.error');
    return {
      ok: false,
      error: {
        kind: str(error, 'kind', 'error'),
        line: intOrNull(error, 'line', 'error'),
        column: intOrNull(error, 'column', 'error'),
        message: str(error, 'message', 'error'),
      },
    };
  }
  if (reply['ok'] !== true) throw new ShapeError('reply.ok: not a boolean');
  const segments = list(reply, 'segments', 'reply', parseSegment);
  const modules = list(reply, 'modules', 'reply', (v, p) => {
    const m = obj(v, p);
    return { name: str(m, 'name', p), origin: oneOf(m, 'origin', p, ORIGINS) };
  });
  const functions = list(reply, 'functions', 'reply', (v, p) => parseFunction(v, p, segments.length));
  return { ok: true, segments, modules, functions };
}

function parseSegment(value: unknown, path: string): Segment {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 2) {
    const [first, last] = [asInt(value[0], `${path}[0]`), asInt(value[1], `${path}[1]`)];
    if (first >= 1 && last >= first) return [first, last];
  }
  throw new ShapeError(`${path}: not a segment`);
}

export function parseFunction(value: unknown, path: string, segmentCount: number): ExtractedFunction {
  const f = obj(value, path);
  const program =
    f['program'] === null
      ? null
      : list(f, 'program', path, (v, p) => {
          const index = asInt(v, p);
          if (index < 0 || index >= segmentCount) throw new ShapeError(`${p}: no such segment`);
          return index;
        });
  return {
    qualname: str(f, 'qualname', path),
    name: str(f, 'name', path),
    kind: oneOf(f, 'kind', path, KINDS),
    isAsync: bool(f, 'isAsync', path),
    classPath: list(f, 'classPath', path, asString),
    lineno: int(f, 'lineno', path),
    startLine: int(f, 'startLine', path),
    endLine: int(f, 'endLine', path),
    signature: str(f, 'signature', path),
    docstring: strOrNull(f, 'docstring', path),
    prose: strOrNull(f, 'prose', path),
    examples: list(f, 'examples', path, parseExample),
    doctestError: strOrNull(f, 'doctestError', path),
    program,
    flags: list(f, 'flags', path, asString),
    blockers: list(f, 'blockers', path, parseBlocker),
  };
}

function parseExample(value: unknown, path: string): DoctestExample {
  const e = obj(value, path);
  return {
    source: str(e, 'source', path),
    want: str(e, 'want', path),
    excMsg: strOrNull(e, 'excMsg', path),
    lineno: int(e, 'lineno', path),
  };
}

function parseBlocker(value: unknown, path: string): Blocker {
  const b: Obj = obj(value, path);
  const kind = oneOf(b, 'kind', path, BLOCKER_KINDS);
  const module = strOrNull(b, 'module', path);
  const detail = strOrNull(b, 'detail', path);
  return { kind, ...(module === null ? {} : { module }), ...(detail === null ? {} : { detail }) };
}
