/**
 * Secrets and personal data in a sample, found locally (the rules are in secretRules.ts). The
 * instruction is read as prose; code (the response, each test) only inside its string literals and
 * comments, where secrets and personal data live: `weight@other.weight` is a matrix product, not an
 * address, and since every match lies inside a literal or a comment, replacing it keeps the code parsing.
 * In code, a literal is also read with the name it is assigned to (`password = "…"`, `api_key="…"`,
 * `{"password": "…"}`, `PASSWORD: str = "…"`, `__author__ = "…"`).
 *
 * A finding names the field, the 1-based line (of the tests joined by newlines, for tests) and an excerpt
 * of that line with every match on it masked: the secret itself never leaves this module except through
 * `redact`, which finds the matches again.
 */
import type { Finding, Sample, SampleField } from '../../domain/dataset.ts';
import { spannedTokens, stringBody, unixLines, type Span } from './normalise.ts';
import {
  isPlaceholder,
  KEY_NAME,
  looksRandom,
  nameWords,
  PASSWORD_NAME,
  PERSON_NAME,
  personName,
  PII_RULES,
  PROVIDER_RULES,
  proseSecret,
  type SecretRule,
} from './secretRules.ts';

type SecretFinding = Extract<Finding, { kind: 'secret' | 'pii' }>;
type Fields = Pick<Sample, 'instruction' | 'response' | 'tests'>;

/** One match: where it lies (`part`: which test; 0 for the other fields) and what replaces it. */
export type SecretMatch = {
  kind: 'secret' | 'pii';
  rule: string;
  field: SampleField;
  part: number;
  line: number;
  start: number;
  end: number;
  placeholder: string;
  /** How many leading characters may be shown (a provider's prefix). */
  shown: number;
};

/** Text shown before a match in an excerpt, at most (and twice that after it). */
const EXCERPT_CONTEXT = 60;
/** Assigned values longer than this are text, not a password. */
const MAX_PASSWORD = 64;

/** Every rule with exact group positions (the `d` flag), and its priority among overlapping matches. */
const RULES: [SecretRule, RegExp, number][] = [
  ...PROVIDER_RULES.map((r, i): [SecretRule, RegExp, number] => [r, withIndices(r.pattern), i]),
  ...PII_RULES.map((r, i): [SecretRule, RegExp, number] => [r, withIndices(r.pattern), 200 + i]),
];
const NAME_RULE = PII_RULES.find((r) => r.rule === 'name')!;
const PASSWORD_RULE = { placeholder: '<REDACTED_PASSWORD>', shown: 0 };
const GENERIC_RULE = { placeholder: '<REDACTED_SECRET>', shown: 0 };
const AWS_SECRET_RULE = PROVIDER_RULES.find((r) => r.rule === 'aws-secret-access-key')!;
const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+]{40}$/;
/** `name = value` or `name: value` in prose (comments, strings, the instruction). */
const ASSIGNED_IN_PROSE = /(?<![\w.])([A-Za-z_][\w.-]*)["']?[ \t]*(?::|=)[ \t]*(["']?)([^\s"'`,;)}\]]+)\2/dg;
const PERSON = new RegExp(PERSON_NAME, 'gu');
const CREDIT_NAME = /^__(?:author|maintainer|credits)__$/;

function withIndices(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.includes('d') ? pattern.flags : `${pattern.flags}d`);
}

/** Every match in a sample's fields, in field and text order. */
export function secretMatches(sample: Fields): SecretMatch[] {
  const matches = [
    ...scanPart(unixLines(sample.instruction), 'instruction', 0, 0, 'prose'),
    ...scanPart(unixLines(sample.response), 'response', 0, 0, 'code'),
  ];
  let lineOffset = 0;
  sample.tests.forEach((test, part) => {
    const text = unixLines(test);
    matches.push(...scanPart(text, 'tests', part, lineOffset, 'code'));
    lineOffset += text.split('\n').length;
  });
  return matches;
}

export function secretFindings(sample: Fields): SecretFinding[] {
  const matches = secretMatches(sample);
  return matches.map((m) => {
    const text = unixLines(partText(sample, m));
    const excerpt = maskedLine(
      text,
      m,
      matches.filter((o) => o.field === m.field && o.part === m.part),
    );
    return m.kind === 'pii'
      ? { kind: 'pii', rule: m.rule as 'email' | 'ip' | 'name', field: m.field, line: m.line, excerpt }
      : { kind: 'secret', rule: m.rule, field: m.field, line: m.line, excerpt };
  });
}

/** The text a match was found in. */
export function partText(sample: Fields, match: Pick<SecretMatch, 'field' | 'part'>): string {
  return match.field === 'tests' ? (sample.tests[match.part] ?? '') : sample[match.field];
}

type Candidate = Omit<SecretMatch, 'field' | 'part' | 'line'> & { priority: number };

function scanPart(text: string, field: SampleField, part: number, lineOffset: number, mode: 'prose' | 'code') {
  const candidates: Candidate[] = [];
  const regions = mode === 'prose' ? [{ start: 0, end: text.length }] : codeRegions(text, candidates);
  for (const region of regions) scanRegion(text, region, candidates);
  // Overlaps keep the most specific rule: providers, then assigned values, then personal data.
  candidates.sort((a, b) => a.priority - b.priority || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of candidates)
    if (c.end > c.start && !kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  kept.sort((a, b) => a.start - b.start);
  return kept.map(({ priority: _, ...c }): SecretMatch => {
    const line = lineOffset + (text.slice(0, c.start).match(/\n/g)?.length ?? 0) + 1;
    return { ...c, field, part, line };
  });
}

/** Provider and personal-data patterns, and `name = value` pairs, inside one region of `text`. */
function scanRegion(text: string, region: Span, out: Candidate[]): void {
  const slice = text.slice(region.start, region.end);
  for (const [rule, pattern, priority] of RULES) {
    for (const m of slice.matchAll(pattern)) {
      const [from, to] = m.indices![1] ?? m.indices![0]!;
      if (rule.accept && !rule.accept(slice.slice(from, to), slice.slice(Math.max(0, from - 40), from))) continue;
      out.push(
        candidate(
          rule.kind,
          rule.rule,
          region.start + from,
          trimEscape(text, region.start + from, region.start + to),
          rule,
          priority,
        ),
      );
    }
  }
  for (const m of slice.matchAll(ASSIGNED_IN_PROSE)) {
    const [from, to] = m.indices![3]!;
    assigned(m[1]!, region.start + from, region.start + to, text, out, true);
  }
}

/** A value assigned to a name: a password, a random-looking secret, or credited people. */
function assigned(name: string, start: number, end: number, text: string, out: Candidate[], prose: boolean): void {
  const value = text.slice(start, end);
  if (CREDIT_NAME.test(name)) {
    for (const m of value.matchAll(PERSON))
      if (personName(m[0]))
        out.push(candidate('pii', 'name', start + m.index, start + m.index + m[0].length, NAME_RULE, 210));
    return;
  }
  const words = nameWords(name);
  if (words.some((w) => PASSWORD_NAME.test(w))) {
    if (isPlaceholder(value) || value.length > MAX_PASSWORD || (prose && !proseSecret(value))) return;
    out.push(candidate('secret', 'password', start, trimEscape(text, start, end), PASSWORD_RULE, 100));
  } else if (words.some((w) => KEY_NAME.test(w)) && looksRandom(value)) {
    // `aws_secret_access_key = "…"`: the provider pattern sees only the string, so the name tells.
    const aws = words.includes('aws') && AWS_SECRET_SHAPE.test(value);
    const [rule, how] = aws ? ['aws-secret-access-key', AWS_SECRET_RULE] : ['generic-secret', GENERIC_RULE];
    out.push(candidate('secret', rule, start, trimEscape(text, start, end), how, 101));
  }
}

function candidate(
  kind: 'secret' | 'pii',
  rule: string,
  start: number,
  end: number,
  how: Pick<SecretRule, 'placeholder' | 'shown'>,
  priority: number,
): Candidate {
  return { kind, rule, start, end, placeholder: how.placeholder, shown: how.shown, priority };
}

/**
 * A match that ends inside an escape (`"ab\"cd"`: the value `ab\`) would, replaced, swallow the escape and
 * unbalance the quotes: it ends before its trailing backslashes.
 */
function trimEscape(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && text[e - 1] === '\\') e--;
  return e;
}

/**
 * The regions of some code that hold text: string literals (their content) and comment blocks
 * (consecutive comment lines as one region); and its `name = "value"` pairs, put into `out`.
 */
function codeRegions(text: string, out: Candidate[]): Span[] {
  const tokens = spannedTokens(text);
  const regions: (Span & { comment: boolean })[] = [];
  for (const t of tokens) {
    const last = regions[regions.length - 1];
    if (t.kind === 'string') {
      const body = stringBody(t.text);
      regions.push({ start: t.start + body.offset, end: t.start + body.offset + body.text.length, comment: false });
    } else if (t.kind === 'comment' && last?.comment && /^\s*$/.test(text.slice(last.end, t.start))) {
      last.end = t.end;
    } else if (t.kind === 'comment') {
      regions.push({ start: t.start + 1, end: t.end, comment: true });
    }
  }
  const code = tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'newline');
  code.forEach((t, i) => {
    const op = code[i - 1];
    if (t.kind !== 'string' || !op || !['=', ':', ':='].includes(op.text)) return;
    // `PASSWORD: str = "…"`: the name is before the annotation.
    const annotated = op.text === '=' && code[i - 3]?.text === ':' && code[i - 4]?.kind === 'name';
    const target = annotated ? code[i - 4] : code[i - 2];
    const name =
      target?.kind === 'name' ? target.text : target?.kind === 'string' ? stringBody(target.text).text : null;
    if (name === null) return;
    const body = stringBody(t.text);
    assigned(name, t.start + body.offset, t.start + body.offset + body.text.length, text, out, false);
  });
  return regions;
}

/** The line of a match with every match on it masked, cut around the match. */
function maskedLine(text: string, match: SecretMatch, all: readonly SecretMatch[]): string {
  const lineStart = text.lastIndexOf('\n', match.start - 1) + 1;
  const newline = text.indexOf('\n', match.start);
  const lineEnd = newline === -1 ? text.length : newline;
  let line = '';
  let at = lineStart;
  let focus = 0;
  for (const m of all) {
    if (m.end <= lineStart || m.start >= lineEnd || m.start < at) continue;
    line += text.slice(at, m.start);
    if (m === match) focus = line.length;
    line += mask(text.slice(m.start, m.end), m);
    at = m.end;
  }
  // A match that spans lines (a key block) ends the excerpt.
  if (at <= lineEnd) line += text.slice(at, lineEnd);
  const from = Math.max(0, focus - EXCERPT_CONTEXT);
  const shown = line.slice(from, focus + 3 * EXCERPT_CONTEXT);
  return `${from > 0 ? '…' : ''}${shown.trim()}${focus + 3 * EXCERPT_CONTEXT < line.length ? '…' : ''}`;
}

/** What may be shown of a secret: a provider's prefix, an e-mail's first letter and top-level domain. */
export function mask(secret: string, match: Pick<SecretMatch, 'rule' | 'shown'>): string {
  switch (match.rule) {
    case 'email': {
      const [local = '', domain = ''] = secret.split('@');
      return `${local[0] ?? ''}***@***.${domain.split('.').pop() ?? ''}`;
    }
    case 'ip':
      return `${secret.split('.')[0]}.***.***.***`;
    case 'name':
      return secret
        .split(/\s+/)
        .map((w) => `${w[0]}.`)
        .join(' ');
    case 'private-key':
      return `${/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/.exec(secret)?.[0] ?? ''}********`;
    default:
      return `${secret.slice(0, match.shown)}********`;
  }
}
