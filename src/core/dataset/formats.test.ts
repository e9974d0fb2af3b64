/**
 * Each format's lines validate against the schema of what its trainers read (test/builders/trainerFormats.ts)
 * and load through ports of the trainers' own readers (LLaMA-Factory with this export's dataset_info.json,
 * TRL, Axolotl), with and without a system prompt, for natural and LLM samples; the response choice and
 * redaction keep the raw record consistent.
 */
import { describe, expect, it } from 'vitest';
import type { JsonlRecord } from '../export/jsonlRecord.ts';
import type { LlmJsonlRecord } from '../export/llmRecord.ts';
import {
  SCHEMAS,
  axolotlChatTemplate,
  llamaFactoryLoad,
  readJsonl,
  trlConversation,
  validate,
} from '../../../test/builders/trainerFormats.ts';
import { dataFilePath, datasetInfo, infoName, type DatasetFile } from './datasetInfo.ts';
import { DATASET_FORMATS, findingsSummary, formatLine, redactedRecord, withResponse } from './formats.ts';
import { sampleOf } from './samples.ts';

const natural: JsonlRecord = {
  id: 'pkg/geo.py::circle_area::6',
  instruction: 'Area of a circle of radius r.',
  response: 'import math\n\ndef circle_area(r):\n    return math.pi * r * r\n',
  tests: ['assert round(circle_area(2), 3) == 12.566'],
  entry_point: 'circle_area',
  language: 'python',
  method: 'natural-doctest',
  source: { project: 'demo', path: 'pkg/geo.py', start_line: 6, end_line: 12, sha256: 'a'.repeat(64) },
  verification: { examples: 1, plain_asserts: true, runtime: 'CPython 3.14.2 (Pyodide 314.0.7)' },
  schema_version: 1,
};

const llm: LlmJsonlRecord = {
  id: 'mathy.py::clamp::1::inverse-semi',
  instruction: 'Write a Python function `clamp(x, lo, hi)` that limits x to [lo, hi].',
  response: 'def clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n',
  tests: ['assert clamp(5, 0, 3) == 3', 'assert clamp(-1, 0, 3) == 0'],
  entry_point: 'clamp',
  language: 'python',
  method: 'inverse-semi',
  response_kind: 'solution',
  scores: { yes_prob: 0.93, yes_prob_estimated: false, round_trip_pass_rate: 1, line_coverage: 1 },
  model: { engine: 'openai', id: 'coder-test' },
  fingerprint: 'f'.repeat(14),
  source: {
    project: 'demo',
    path: 'mathy.py',
    start_line: 1,
    end_line: 6,
    sha256: 'b'.repeat(64),
    original_code:
      'API = "AKIAIOSFODNN7EXAMPLE"\n\ndef clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    return hi if x > hi else x\n',
  },
  verification: { cases: 2, doctests: 0, runtime: 'CPython 3.14.2 (Pyodide 314.0.7)' },
  schema_version: 1,
};

const samples = [sampleOf(natural), sampleOf(llm)];
const context = (system: string | null) => ({ system, pythonVersion: '3.8', findings: findingsSummary([], false) });

describe('every format, as trainers read it', () => {
  for (const system of [null, 'You are a careful Python programmer.']) {
    describe(system === null ? 'without a system prompt' : 'with a system prompt', () => {
      const files = new Map<string, string>();
      const written: DatasetFile[] = [];
      for (const format of DATASET_FORMATS) {
        const lines = samples.map((s) => JSON.stringify(formatLine(format, s, context(system))));
        const path = dataFilePath(format, 'train');
        files.set(path, lines.join('\n') + '\n');
        written.push({ path, format, split: 'train', lines: lines.length });
      }

      it.each(DATASET_FORMATS)('%s lines validate against its schema', (format) => {
        for (const row of readJsonl(files.get(dataFilePath(format, 'train'))!))
          expect(validate(row, SCHEMAS[format])).toEqual([]);
      });

      it('LLaMA-Factory loads every file through dataset_info.json: user prompt, assistant response, system', () => {
        const info = JSON.parse(JSON.stringify(datasetInfo(written, 'demo', system !== null)));
        expect(Object.keys(info).sort()).toEqual(DATASET_FORMATS.map((f) => `${infoName('demo')}_${f}`).sort());
        const loaded = llamaFactoryLoad(info, files);
        for (const [name, examples] of loaded) {
          const raw = name.endsWith('_raw');
          examples.forEach((example, i) => {
            expect(example.prompt, name).toEqual([{ role: 'user', content: samples[i]!.instruction }]);
            expect(example.response, name).toEqual([{ role: 'assistant', content: samples[i]!.response }]);
            expect(example.system, name).toBe(raw || system === null ? '' : system);
          });
        }
      });

      it('TRL reads messages as conversational; Axolotl maps every role (chat_template, alpaca)', () => {
        for (const row of readJsonl(files.get('messages/train.jsonl')!)) {
          const conversation = trlConversation(row);
          expect(conversation.map((m) => m.role)).toEqual(
            system ? ['system', 'user', 'assistant'] : ['user', 'assistant'],
          );
          expect(axolotlChatTemplate(row, 'messages', { role: 'role', content: 'content' })).toEqual(conversation);
        }
        for (const row of readJsonl(files.get('sharegpt/train.jsonl')!))
          expect(axolotlChatTemplate(row, 'conversations', { role: 'from', content: 'value' }).at(-1)?.role).toBe(
            'assistant',
          );
        for (const row of readJsonl(files.get('alpaca/train.jsonl')!)) {
          expect(row['input']).toBe('');
          expect('system' in row).toBe(system !== null);
        }
      });
    });
  }

  it('the raw line is the record with python_version and findings, never a secret', () => {
    const findings = findingsSummary(
      [
        {
          kind: 'benchmark',
          benchmark: 'HumanEval',
          taskId: 'HumanEval/0',
          field: 'response',
          how: { ngram: 20 },
          excerpt: 'x',
        },
        {
          kind: 'benchmark',
          benchmark: 'HumanEval',
          taskId: 'HumanEval/0',
          field: 'tests',
          how: { ngram: 13 },
          excerpt: 'y',
        },
        { kind: 'secret', rule: 'aws-access-key-id', field: 'response', line: 1, excerpt: 'AKIA************MPLE' },
        { kind: 'duplicate-instruction', of: 'other', jaccard: 0.9 },
      ],
      true,
    );
    const line = formatLine('raw', sampleOf(llm), { system: null, pythonVersion: '3.10', findings });
    expect(line).toEqual({
      ...llm,
      python_version: '3.10',
      findings: {
        benchmark: ['HumanEval/0'],
        secrets: ['aws-access-key-id'],
        pii: [],
        duplicate_instruction_of: 'other',
        redacted: true,
      },
    });
    expect(JSON.stringify(line)).not.toContain('AKIA****');
  });
});

describe('the response of LLM samples', () => {
  it('swaps in the original code as toLlmRecord does, and leaves natural samples alone', () => {
    const original = withResponse(sampleOf(llm), 'original');
    expect(original.response).toBe(llm.source.original_code);
    expect(original.record).toEqual({ ...llm, response: llm.source.original_code, response_kind: 'original' });
    expect(withResponse(sampleOf(natural), 'original')).toEqual(sampleOf(natural));
    expect(withResponse(sampleOf(llm), 'solution')).toEqual(sampleOf(llm));
  });

  it('a redacted record carries the redacted fields and original code', () => {
    const sample = { ...sampleOf(llm), response: 'def clamp(x, lo, hi):\n    return 0  # masked\n' };
    const record = redactedRecord(sample, 'API = "****"\n');
    expect(record['response']).toBe(sample.response);
    expect((record['source'] as { original_code: string }).original_code).toBe('API = "****"\n');
    expect((record['source'] as { path: string }).path).toBe('mathy.py');
  });
});
