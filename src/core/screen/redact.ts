/**
 * Redaction: each secret or personal datum a person chose to redact is replaced by its placeholder
 * (`<REDACTED_AWS_KEY>`, `<REDACTED_PASSWORD>`, `user@example.com`, `192.0.2.1`, `<NAME>`…) in the
 * instruction, the response and the tests. Matches lie inside string literals and comments (secrets.ts)
 * and placeholders hold no quote, backslash, brace or newline, so redacted code still parses (tested with
 * CPython). Findings carry no secret, so the matches are found again and those a finding names (kind,
 * rule, field, line) are replaced; benchmark findings are not redactable (a contaminated sample is kept
 * or dropped) and are ignored here.
 *
 * The same original texts are replaced in every string of `record` (the line as the export writes it), so
 * no copy survives there. Line endings of redacted fields become `\n`.
 */
import type { Finding, Sample } from '../../domain/dataset.ts';
import { unixLines } from './normalise.ts';
import { partText, secretMatches, type SecretMatch } from './secrets.ts';

export function redact<S extends Sample>(sample: S, findings: readonly Finding[]): S {
  const chosen = new Set(
    findings.flatMap((f) => (f.kind === 'secret' || f.kind === 'pii' ? [keyOf(f.kind, f.rule, f.field, f.line)] : [])),
  );
  const matches = secretMatches(sample).filter((m) => chosen.has(keyOf(m.kind, m.rule, m.field, m.line)));
  if (matches.length === 0) return sample;
  const replacements = new Map<string, string>();
  const replaced = (field: SecretMatch['field'], part: number): string => {
    const text = unixLines(partText(sample, { field, part }));
    const mine = matches.filter((m) => m.field === field && m.part === part).sort((a, b) => b.start - a.start);
    let out = text;
    for (const m of mine) {
      replacements.set(text.slice(m.start, m.end), m.placeholder);
      out = out.slice(0, m.start) + m.placeholder + out.slice(m.end);
    }
    return mine.length > 0 ? out : partText(sample, { field, part });
  };
  const redacted = {
    ...sample,
    instruction: replaced('instruction', 0),
    response: replaced('response', 0),
    tests: sample.tests.map((_, part) => replaced('tests', part)),
  };
  return { ...redacted, record: replaceStrings(sample.record, replacements) as Record<string, unknown> };
}

function keyOf(kind: string, rule: string, field: string, line: number): string {
  return `${kind}|${rule}|${field}|${line}`;
}

/** `value` with every original text in every string replaced (longest first), recursively. */
function replaceStrings(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [original, placeholder] of [...replacements].sort((a, b) => b[0].length - a[0].length))
      if (original !== '') out = out.split(original).join(placeholder);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, replacements));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, replacements)]));
  return value;
}
