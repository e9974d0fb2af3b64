/**
 * One sample as a line of each format trainers read (DESIGN, "Formats trainers read"):
 * - `raw`: the full record (README's field table) plus `python_version` and a `findings` summary;
 * - `messages`: `{"messages": [{role, content}]}`, TRL SFTTrainer's conversational format, LLaMA-Factory's
 *   OpenAI format (sharegpt with role tags), Axolotl's `chat_template` with `field_messages: messages`;
 * - `alpaca`: `instruction`, `input` (always ""), `output`, and `system` when a system prompt is given
 *   (LLaMA-Factory's Alpaca, Axolotl's `alpaca`);
 * - `sharegpt`: `{"conversations": [{from, value}]}` with `system`/`human`/`gpt` (LLaMA-Factory's ShareGPT).
 * Chat formats hold only what trainers read: LLaMA-Factory drops every other column, and one stray column
 * of mixed type breaks Arrow's schema inference in `datasets`. The raw format keeps the rest.
 */
import type { Finding, Sample } from '../../domain/dataset.ts';
import { originalCode } from './samples.ts';

export const DATASET_FORMATS = ['raw', 'messages', 'alpaca', 'sharegpt'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** The screens' verdict on a sample as the raw line carries it: names and counts, never a secret. */
export type FindingsSummary = {
  /** Benchmark tasks the sample overlaps (kept only when the person chose to keep them). */
  benchmark: string[];
  /** Rules of secrets found, one entry per finding (e.g. "aws-access-key-id"). */
  secrets: string[];
  /** Kinds of personal data found, one entry per finding ("email", "ip", "name"). */
  pii: string[];
  /** The sample whose instruction this one repeats, or null. */
  duplicate_instruction_of: string | null;
  /** Whether secrets or personal data were masked in this line (its tests were verified before that). */
  redacted: boolean;
};

export function findingsSummary(findings: readonly Finding[], redacted: boolean): FindingsSummary {
  const summary: FindingsSummary = { benchmark: [], secrets: [], pii: [], duplicate_instruction_of: null, redacted };
  for (const f of findings) {
    if (f.kind === 'benchmark' && !summary.benchmark.includes(f.taskId)) summary.benchmark.push(f.taskId);
    else if (f.kind === 'secret') summary.secrets.push(f.rule);
    else if (f.kind === 'pii') summary.pii.push(f.rule);
    else if (f.kind === 'duplicate-instruction') summary.duplicate_instruction_of = f.of;
  }
  return summary;
}

export type LineContext = {
  /** The system prompt of chat formats and Alpaca's `system`; null: none. */
  system: string | null;
  pythonVersion: string | null;
  findings: FindingsSummary;
};

export function formatLine(format: DatasetFormat, sample: Sample, context: LineContext): object {
  const { system } = context;
  switch (format) {
    case 'raw':
      return { ...sample.record, python_version: context.pythonVersion, findings: context.findings };
    case 'messages':
      return {
        messages: [
          ...(system === null ? [] : [{ role: 'system', content: system }]),
          { role: 'user', content: sample.instruction },
          { role: 'assistant', content: sample.response },
        ],
      };
    case 'alpaca':
      return {
        instruction: sample.instruction,
        input: '',
        output: sample.response,
        ...(system === null ? {} : { system }),
      };
    case 'sharegpt':
      return {
        conversations: [
          ...(system === null ? [] : [{ from: 'system', value: system }]),
          { from: 'human', value: sample.instruction },
          { from: 'gpt', value: sample.response },
        ],
      };
  }
}

/**
 * The sample with the response the person chose. Samples are read (and screened) with the verified
 * solution; "original" swaps in the original program, as toLlmRecord does (its tests pass on both). A
 * natural sample, or an imported line that carries only its original, stays as it is.
 */
export function withResponse(sample: Sample, response: 'solution' | 'original'): Sample {
  const original = originalCode(sample);
  if (response === 'solution' || original === null || sample.record['response_kind'] === 'original') return sample;
  return { ...sample, response: original, record: { ...sample.record, response: original, response_kind: 'original' } };
}

/**
 * A redacted sample's raw record: its fields as redacted, and for an LLM sample the original code as
 * redacted too (the raw line carries it whatever the response is).
 */
export function redactedRecord(sample: Sample, original: string | null): Record<string, unknown> {
  const record: Record<string, unknown> = {
    ...sample.record,
    instruction: sample.instruction,
    response: sample.response,
    tests: sample.tests,
  };
  if (original !== null) record['source'] = { ...(record['source'] as object), original_code: original };
  return record;
}
