import { describe, expect, it } from 'vitest';
import { llmRecord, naturalRecord, withField } from '../../../test/builders/exportLines.ts';
import { canonicalJson, parseLine, type ImportRecord, type LineProblem } from './parseLine.ts';

function problem(value: unknown): LineProblem | null {
  const parsed = parseLine(typeof value === 'string' ? value : JSON.stringify(value));
  return parsed.ok ? null : parsed.problem;
}

describe('parseLine', () => {
  it('accepts the lines the export writes, and returns them as they were', () => {
    for (const record of [naturalRecord(3), llmRecord(4), withField(llmRecord(5), 'scores.line_coverage', null)]) {
      const parsed = parseLine(JSON.stringify(record));
      expect(parsed).toEqual({ ok: true, record });
      expect(parsed.ok && JSON.stringify(parsed.record)).toBe(JSON.stringify(record));
    }
  });

  it("accepts a screened export's python_version and findings, and leaves them to this app's screens", () => {
    const findings = { benchmark: [], secrets: [], pii: [], duplicate_instruction_of: null, redacted: false };
    for (const record of [naturalRecord(3), llmRecord(4)]) {
      const screened = { ...record, python_version: '3.10', findings };
      expect(parseLine(JSON.stringify(screened))).toEqual({ ok: true, record });
      expect(parseLine(JSON.stringify({ ...record, python_version: null }))).toEqual({ ok: true, record });
    }
    const line = { ...naturalRecord(1), python_version: '3.8', findings };
    expect(problem({ ...line, python_version: 'py3' })).toEqual({
      field: 'python_version',
      reason: 'not a Python version such as "3.10"',
    });
    expect(problem(withField(line, 'findings.secrets', 'aws'))).toEqual({
      field: 'findings.secrets',
      reason: 'not a list',
    });
    expect(problem(withField(line, 'findings.pii', [3]))).toEqual({ field: 'findings.pii[0]', reason: 'not a string' });
    expect(problem(withField(line, 'findings.extra', 1))).toEqual({
      field: 'findings.extra',
      reason: 'not a field of findings',
    });
    expect(problem(withField(line, 'findings.redacted', true))).toMatchObject({
      field: 'findings.redacted',
      reason: expect.stringMatching(/^the line was masked after it was verified/),
    });
  });

  it('refuses what is not a JSON object, and never evaluates it', () => {
    expect(problem('{"id": ')).toMatchObject({ field: null, reason: expect.stringMatching(/^not JSON/) });
    expect(problem('[1, 2]')).toEqual({ field: null, reason: 'not a JSON object (a list)' });
    expect(problem('"text"')).toEqual({ field: null, reason: 'not a JSON object (string)' });
    expect(problem("{id: 'x', toString: () => 1}")).toMatchObject({ field: null });
  });

  it('reads schema_version first: a newer one is refused as such, whatever the fields', () => {
    expect(problem({ schema_version: 2, method: 'natural-doctest' })).toEqual({
      field: 'schema_version',
      reason: '2 is newer than this app reads (1): the file was written by a newer release; update the app',
    });
    expect(problem(withField(naturalRecord(1), 'schema_version', 0))).toMatchObject({ field: 'schema_version' });
    expect(problem(withField(naturalRecord(1), 'schema_version', '1'))).toEqual({
      field: 'schema_version',
      reason: 'not an integer',
    });
    expect(problem(withField(naturalRecord(1), 'schema_version', undefined))).toEqual({
      field: 'schema_version',
      reason: 'missing',
    });
  });

  it('refuses a __proto__ field like any unknown one', () => {
    const line = JSON.stringify(naturalRecord(1)).replace(/}$/, ',"__proto__":{"admin":true}}');
    expect(problem(line)).toEqual({
      field: '__proto__',
      reason: 'not a field of schema_version 1 natural-doctest lines',
    });
  });

  it('knows two methods', () => {
    expect(problem(withField(naturalRecord(1), 'method', 'evol-instruct'))).toEqual({
      field: 'method',
      reason: 'unknown method "evol-instruct" (natural-doctest or inverse-semi)',
    });
    expect(problem(withField(naturalRecord(1), 'method', undefined))).toEqual({ field: 'method', reason: 'missing' });
  });

  it.each([
    ['id', undefined, 'id', 'missing'],
    ['id', 7, 'id', 'not a string'],
    ['instruction', '  ', 'instruction', 'empty'],
    ['response', null, 'response', 'not a string'],
    ['tests', 'assert f(1) == 2', 'tests', 'not a list'],
    ['tests', [], 'tests', 'empty: a sample needs at least one test'],
    ['tests', ['assert x', 3], 'tests[1]', 'not a string'],
    ['entry_point', 'f-1', 'entry_point', '"f-1" is not a Python name (f, or Class.method)'],
    ['language', 'rust', 'language', '"rust" is not "python"'],
    ['source', 'demo', 'source', 'not an object'],
    ['source.sha256', 'ABC', 'source.sha256', 'not a SHA-256 (64 lowercase hex digits)'],
    ['source.start_line', 0, 'source.start_line', 'less than 1'],
    ['source.end_line', 2.5, 'source.end_line', 'not an integer'],
    ['source.original_code', 'x', 'source.original_code', 'not a field of source (natural-doctest)'],
    ['verification.examples', 0, 'verification.examples', 'less than 1'],
    ['verification.plain_asserts', 'yes', 'verification.plain_asserts', 'not true or false'],
    ['split', 'train', 'split', 'not a field of schema_version 1 natural-doctest lines'],
  ])('natural: %s = %j is refused at %s', (path, value, field, reason) => {
    expect(problem(withField(naturalRecord(1), path, value))).toEqual({ field, reason });
  });

  it.each([
    ['response_kind', 'both', 'response_kind', '"both" is not "solution" or "original"'],
    ['scores.yes_prob', 1.2, 'scores.yes_prob', '1.2 is not between 0 and 1'],
    ['scores.round_trip_pass_rate', -0.1, 'scores.round_trip_pass_rate', '-0.1 is not between 0 and 1'],
    ['scores.line_coverage', '1', 'scores.line_coverage', 'not a number'],
    ['scores.yes_prob_estimated', undefined, 'scores.yes_prob_estimated', 'missing'],
    ['model.engine', 'ollama', 'model.engine', '"ollama" is not "webllm" or "openai"'],
    ['fingerprint', '', 'fingerprint', 'empty'],
    ['source.original_code', undefined, 'source.original_code', 'missing'],
    ['verification.cases', -1, 'verification.cases', 'less than 0'],
    ['verification.examples', 1, 'verification.examples', 'not a field of verification (inverse-semi)'],
  ])('LLM: %s = %j is refused at %s', (path, value, field, reason) => {
    expect(problem(withField(llmRecord(1), path, value))).toEqual({ field, reason });
  });

  it('checks what ties fields together', () => {
    const natural = naturalRecord(1); // pkg/mod1.py::f1::11, lines 11–17
    expect(problem(withField(natural, 'id', 'other.py::f1::11'))).toMatchObject({ field: 'id' });
    expect(problem(withField(natural, 'id', 'pkg/mod1.py::f1'))).toMatchObject({ field: 'id' });
    expect(problem(withField(natural, 'id', 'pkg/mod1.py::f1::30'))).toEqual({
      field: 'id',
      reason: 'line 30 is outside source.start_line–end_line (11–17)',
    });
    expect(problem(withField(natural, 'entry_point', 'g'))).toMatchObject({ field: 'entry_point' });
    expect(problem(withField(natural, 'source.end_line', 5))).toEqual({
      field: 'source.end_line',
      reason: 'before source.start_line',
    });
    const llm = llmRecord(1);
    expect(problem(withField(llm, 'id', llm.id.replace('::inverse-semi', '')))).toMatchObject({ field: 'id' });
    expect(problem(withField(llm, 'response_kind', 'original'))).toMatchObject({ field: 'response' });
    expect(
      problem(withField(withField(llm, 'response_kind', 'original'), 'response', llm.source.original_code)),
    ).toBeNull();
    expect(problem(withField(llm, 'verification.cases', 0))).toMatchObject({ field: 'verification' });
  });

  it('writes a record in one order whatever the order of its fields, leaving nothing out', () => {
    for (const record of [naturalRecord(1), llmRecord(2)]) {
      const reversed = JSON.parse(
        JSON.stringify(record, (_key, value: unknown) =>
          value && typeof value === 'object' && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).reverse())
            : value,
        ),
      ) as ImportRecord;
      expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(record));
      expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      expect(JSON.parse(canonicalJson(record))).toEqual(record);
    }
  });
});
