/**
 * One line of a JSONL exported by this app (or edited by hand, or made elsewhere), checked against the
 * versioned export schema: README's "What each JSONL field means", written by core/export/jsonlRecord.ts
 * and llmRecord.ts. Invariants:
 * - the line is untrusted: it is only ever JSON.parse'd, never evaluated; its size is capped by the reader
 *   (readLines.ts, 1 MiB);
 * - `schema_version` is read first: a version newer than EXPORT_SCHEMA_VERSION is refused as such (the app
 *   is older than the file), before any field is looked at;
 * - a record has exactly its method's fields, each with its type and shape; an unknown field is refused,
 *   because imported lines are exported again as they are and must stay lines of this schema;
 * - the fields a screened export adds (`python_version`, `findings`: the screens' verdict when that file
 *   was written) are checked, then dropped from what parseLine returns: this app's screens give them
 *   again when it exports. A line masked after it was verified (`findings.redacted`) is refused: its tests
 *   may no longer pass;
 * - a problem names the field's path (`source.sha256`, `tests[2]`; null for the whole line) and why.
 * The rules per field are in SCHEMAS and `consistent` below.
 */
import { EXPORT_SCHEMA_VERSION, type JsonlRecord } from '../export/jsonlRecord.ts';
import type { LlmJsonlRecord } from '../export/llmRecord.ts';

export type ImportRecord = JsonlRecord | LlmJsonlRecord;

/** What is wrong with a line: the field's path (null: the line as a whole) and why. */
export type LineProblem = { field: string | null; reason: string };

export type ParsedLine = { ok: true; record: ImportRecord } | { ok: false; problem: LineProblem };

export function parseLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: { field: null, reason: `not JSON (${clip(why, 120)})` } };
  }
  const parsed = checkRecord(value);
  if (parsed.ok) for (const key of SCREENED) delete (parsed.record as Obj)[key];
  return parsed;
}

/** A parsed value checked against the schema (also used on stored imported rows when they are read). */
export function checkRecord(value: unknown): ParsedLine {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Bad(null, `not a JSON object (${Array.isArray(value) ? 'a list' : typeof value})`);
    const o = value as Obj;
    const version = present(o, 'schema_version');
    if (typeof version !== 'number' || !Number.isInteger(version)) throw new Bad('schema_version', 'not an integer');
    if (version > EXPORT_SCHEMA_VERSION)
      throw new Bad(
        'schema_version',
        `${version} is newer than this app reads (${EXPORT_SCHEMA_VERSION}): the file was written by a newer release; update the app`,
      );
    const methods = SCHEMAS[version];
    if (!methods)
      throw new Bad('schema_version', `unknown version ${version} (this app reads 1 to ${EXPORT_SCHEMA_VERSION})`);
    const method = present(o, 'method');
    if (typeof method !== 'string') throw new Bad('method', 'not a string');
    const schema = methods[method];
    if (!schema) throw new Bad('method', `unknown method "${clip(method, 40)}" (${Object.keys(methods).join(' or ')})`);
    schema(o, '');
    consistent(o as ImportRecord);
    return { ok: true, record: o as ImportRecord };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, problem: { field: error.field, reason: error.reason } };
    throw error;
  }
}

class Bad {
  constructor(
    readonly field: string | null,
    readonly reason: string,
  ) {}
}

type Obj = Record<string, unknown>;
type Check = (value: unknown, field: string) => void;

const at = (field: string, key: string): string => (field === '' ? key : `${field}.${key}`);

function present(o: Obj, key: string): unknown {
  if (!Object.hasOwn(o, key)) throw new Bad(key, 'missing');
  return o[key];
}

/** An object with exactly these fields, checked in this order, and these if it has them. */
function shape(spec: Record<string, Check>, what: string, optional: Record<string, Check> = {}): Check {
  return (value, field) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Bad(field, 'not an object');
    const o = value as Obj;
    for (const [key, check] of Object.entries(spec)) {
      if (!Object.hasOwn(o, key)) throw new Bad(at(field, key), 'missing');
      check(o[key], at(field, key));
    }
    for (const key of Object.keys(o)) {
      const check = Object.hasOwn(spec, key) ? null : Object.hasOwn(optional, key) ? optional[key]! : undefined;
      if (check === undefined) throw new Bad(at(field, clip(key, 40)), `not a field of ${what}`);
      check?.(o[key], at(field, key));
    }
  };
}

const text: Check = (value, field) => {
  if (typeof value !== 'string') throw new Bad(field, 'not a string');
  if (!/\S/.test(value)) throw new Bad(field, 'empty');
};

const integer =
  (min: number): Check =>
  (value, field) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Bad(field, 'not an integer');
    if (value < min) throw new Bad(field, `less than ${min}`);
  };

/** A number in [0, 1]: a probability or a rate. */
const unit: Check = (value, field) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Bad(field, 'not a number');
  if (value < 0 || value > 1) throw new Bad(field, `${value} is not between 0 and 1`);
};

const flag: Check = (value, field) => {
  if (typeof value !== 'boolean') throw new Bad(field, 'not true or false');
};

const oneOf =
  (...options: string[]): Check =>
  (value, field) => {
    if (typeof value !== 'string') throw new Bad(field, 'not a string');
    if (!options.includes(value))
      throw new Bad(field, `"${clip(value, 40)}" is not ${options.map((o) => `"${o}"`).join(' or ')}`);
  };

const orNull =
  (check: Check): Check =>
  (value, field) => {
    if (value !== null) check(value, field);
  };

/** A non-empty list of non-empty strings (Python statements). */
const statements: Check = (value, field) => {
  if (!Array.isArray(value)) throw new Bad(field, 'not a list');
  if (value.length === 0) throw new Bad(field, 'empty: a sample needs at least one test');
  value.forEach((item, i) => text(item, `${field}[${i}]`));
};

const SHA256 = /^[0-9a-f]{64}$/;
const sha256: Check = (value, field) => {
  if (typeof value !== 'string') throw new Bad(field, 'not a string');
  if (!SHA256.test(value)) throw new Bad(field, 'not a SHA-256 (64 lowercase hex digits)');
};

/** A Python name, or names joined by dots (`f`, `Class.method`). */
const NAME = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;
const dottedName: Check = (value, field) => {
  if (typeof value !== 'string') throw new Bad(field, 'not a string');
  if (!value.split('.').every((part) => NAME.test(part)))
    throw new Bad(field, `"${clip(value, 60)}" is not a Python name (f, or Class.method)`);
};

/** A list of strings (names of rules, task ids). */
const names: Check = (value, field) => {
  if (!Array.isArray(value)) throw new Bad(field, 'not a list');
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw new Bad(`${field}[${i}]`, 'not a string');
  });
};

/** What a screened export adds (core/dataset/formats.ts, the raw format). */
const screened = {
  python_version: orNull((value, field) => {
    if (typeof value !== 'string' || !/^3\.\d{1,2}$/.test(value))
      throw new Bad(field, 'not a Python version such as "3.10"');
  }),
  findings: shape(
    { benchmark: names, secrets: names, pii: names, duplicate_instruction_of: orNull(text), redacted: flag },
    'findings',
  ),
};
const SCREENED = Object.keys(screened);

const source = {
  project: text,
  path: text,
  start_line: integer(1),
  end_line: integer(1),
  sha256,
};

/** The fields both methods share, in the order the export writes them. */
const common = {
  id: text,
  instruction: text,
  response: text,
  tests: statements,
  entry_point: dottedName,
  language: oneOf('python'),
};

const natural = shape(
  {
    ...common,
    method: oneOf('natural-doctest'),
    source: shape(source, 'source (natural-doctest)'),
    verification: shape({ examples: integer(1), plain_asserts: flag, runtime: text }, 'verification (natural-doctest)'),
    schema_version: integer(1),
  },
  'schema_version 1 natural-doctest lines',
  screened,
);

const llm = shape(
  {
    ...common,
    method: oneOf('inverse-semi'),
    response_kind: oneOf('solution', 'original'),
    scores: shape(
      { yes_prob: unit, yes_prob_estimated: flag, round_trip_pass_rate: unit, line_coverage: orNull(unit) },
      'scores',
    ),
    model: shape({ engine: oneOf('webllm', 'openai'), id: text }, 'model'),
    fingerprint: text,
    source: shape({ ...source, original_code: text }, 'source (inverse-semi)'),
    verification: shape({ cases: integer(0), doctests: integer(0), runtime: text }, 'verification (inverse-semi)'),
    schema_version: integer(1),
  },
  'schema_version 1 inverse-semi lines',
  screened,
);

/** Per export schema version, per method: its fields. */
const SCHEMAS: Record<number, Record<string, Check>> = {
  1: { 'natural-doctest': natural, 'inverse-semi': llm },
};

/**
 * A record's text with the fields of every object in sorted order, whatever order its line had: two lines
 * are the same sample when these are equal. (Measured on 100,000 export lines: 2.2 s, where
 * lib/hash.ts's stableJson, a replacer function, takes 4.0 s and JSON.stringify with a list of names 3.6 s.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Obj;
  const keys = Object.keys(o).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++)
    out += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${canonicalJson(o[keys[i]!])}`;
  return `${out}}`;
}

/**
 * What ties fields together: `id` is `source.path::qualname::line` (plus `::inverse-semi`) with the line
 * between start_line and end_line; `entry_point` names the function of the qualified name; an "original"
 * response is the original code; an LLM sample was verified by at least one test.
 */
function consistent(r: ImportRecord): void {
  if (r.source.end_line < r.source.start_line) throw new Bad('source.end_line', 'before source.start_line');
  const findings = (r as { findings?: { redacted: boolean } }).findings;
  if (findings?.redacted)
    throw new Bad(
      'findings.redacted',
      'the line was masked after it was verified, so its tests may no longer pass: import an export that kept or dropped secrets and personal data',
    );
  const suffix = r.method === 'inverse-semi' ? '::inverse-semi' : '';
  const prefix = `${r.source.path}::`;
  const shapeOfId = `"${prefix}<qualname>::<line>${suffix}"`;
  if (!r.id.startsWith(prefix) || !r.id.endsWith(suffix) || r.id.length < prefix.length + suffix.length)
    throw new Bad('id', `not ${clip(shapeOfId, 120)}`);
  const middle = r.id.slice(prefix.length, r.id.length - suffix.length);
  const cut = middle.lastIndexOf('::');
  const qualname = middle.slice(0, Math.max(cut, 0));
  const line = middle.slice(cut + 2);
  if (cut <= 0 || !/^[1-9]\d{0,8}$/.test(line)) throw new Bad('id', `not ${clip(shapeOfId, 120)}`);
  const n = Number(line);
  if (n < r.source.start_line || n > r.source.end_line)
    throw new Bad(
      'id',
      `line ${n} is outside source.start_line–end_line (${r.source.start_line}–${r.source.end_line})`,
    );
  if (qualname !== r.entry_point && !qualname.endsWith(`.${r.entry_point}`))
    throw new Bad(
      'entry_point',
      `"${clip(r.entry_point, 60)}" does not name the function of the id (${clip(qualname, 60)})`,
    );
  if (r.method !== 'inverse-semi') return;
  if (r.response_kind === 'original' && r.response !== r.source.original_code)
    throw new Bad('response', 'response_kind is "original" but response is not source.original_code');
  if (r.verification.cases + r.verification.doctests === 0)
    throw new Bad('verification', 'no cases and no doctests: nothing verified the sample');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
