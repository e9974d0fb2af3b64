import { describe, expect, it } from 'vitest';
import type { DatasetReport } from '../core/dataset/exportDataset.ts';
import { pythonChoiceText, summaryText } from './exportText.ts';

function report(patch: Partial<DatasetReport>): DatasetReport {
  return {
    lines: 5,
    natural: 1,
    llm: 4,
    imported: 0,
    withoutInstruction: 0,
    copies: 0,
    dropped: { natural: {}, llm: {}, imported: {} },
    redacted: 0,
    splits: { train: 5, validation: 0 },
    files: [{ path: 'raw/train.jsonl', format: 'raw', split: 'train', lines: 5 }],
    tally: { benchmark: {}, secrets: {}, pii: {}, duplicateInstructions: 0 },
    runtimes: [],
    pythonVersions: {},
    response: 'solution',
    ...patch,
  };
}

describe('what a download says it wrote', () => {
  it('keeps the JSONL sentence people know, and adds what was left out', () => {
    expect(summaryText(report({}), 'jsonl', true)).toBe('Wrote 5 lines: 1 natural, 4 LLM.');
    expect(summaryText(report({ natural: 5, llm: 0, withoutInstruction: 2 }), 'jsonl', false)).toBe(
      'Wrote 5 lines; left out 2 whose docstring is only examples (no instruction).',
    );
    expect(summaryText(report({ natural: 5, llm: 0, copies: 3 }), 'jsonl', false)).toBe(
      'Wrote 5 lines; left out 3 copies of other functions (deduplication).',
    );
    const dropped = report({ dropped: { natural: { benchmark: 1 }, llm: { benchmark: 1, secret: 2 }, imported: {} } });
    expect(summaryText({ ...dropped, redacted: 1 }, 'jsonl', true)).toBe(
      'Wrote 5 lines: 1 natural, 4 LLM; dropped 2 benchmark copies, 2 with secrets; redacted 1.',
    );
    // Reasons come in one order, whichever sample was dropped first.
    const reversed = report({
      dropped: { natural: { secret: 1 }, llm: { 'python-version': 3, benchmark: 1 }, imported: {} },
    });
    expect(summaryText(reversed, 'jsonl', true)).toBe(
      'Wrote 5 lines: 1 natural, 4 LLM; dropped 1 benchmark copies, 1 with secrets, 3 needing a newer Python.',
    );
  });

  it('says how many files the zip holds and how the split fell', () => {
    const zip = report({ splits: { train: 4, validation: 1 }, imported: 2 });
    expect(summaryText(zip, 'zip', false)).toBe(
      'Wrote 5 samples (1 natural, 4 LLM, 2 imported) in 1 file, train 4, validation 1.',
    );
  });
});

describe('the newest Python filter', () => {
  it('says how many screened samples each choice keeps', () => {
    const counts = { '3.8': 40, '3.10': 3, '3.12': 1, none: 1 };
    expect(pythonChoiceText(null, counts)).toBe('any (45)');
    expect(pythonChoiceText('3.9', counts)).toBe('3.9 (keeps 40 of 45)');
    expect(pythonChoiceText('3.10', counts)).toBe('3.10 (keeps 43 of 45)');
    expect(pythonChoiceText('3.14', counts)).toBe('3.14 (keeps 44 of 45)');
    expect(pythonChoiceText('3.11', {})).toBe('3.11');
  });
});
