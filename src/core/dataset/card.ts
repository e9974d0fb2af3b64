/**
 * The dataset card (README.md): Hugging Face front matter (cardMeta.ts), then what the dataset is, its
 * files and fields, how the samples were made and what was left out at each step, the models and prompt
 * versions, the source's licences, deduplication, decontamination and the secret/PII scan (rule names and
 * counts only: the card never quotes what a screen found), how it was verified, and how to load it.
 */
import { DROP_REASONS, LLM_STAGES, STAGE_LABELS, type DropReason } from '../../domain/pipeline.ts';
import type { CardFacts } from './cardFacts.ts';
import { cardLicense, frontMatter } from './cardMeta.ts';
import { DROP_WHY, type DropWhy } from './choices.ts';
import type { DatasetFile } from './datasetInfo.ts';
import { droppedTotal, type DatasetOptions, type DatasetReport } from './exportDataset.ts';

export type CardInput = {
  facts: CardFacts;
  report: DatasetReport;
  options: DatasetOptions;
  /** Names of the dataset_info.json entries, by file path. */
  infoNames: Record<string, string>;
  exportedAt: Date;
};

const n = (x: number): string => x.toLocaleString('en-US');
const table = (head: string[], rows: (string | number)[][]): string =>
  [head, head.map(() => '---'), ...rows.map((r) => r.map(String))].map((r) => `| ${r.join(' | ')} |`).join('\n');

export function datasetCard(input: CardInput): string {
  const { facts, report } = input;
  const license = cardLicense(facts.licenses.map((l) => l.spdx));
  const title = `Semiverse: ${facts.name}`;
  const sections = [
    frontMatter({
      prettyName: title,
      license,
      samples: report.lines,
      formats: input.options.formats,
      files: report.files,
    }),
    `# ${title}`,
    intro(input),
    files(report.files, input),
    fields(),
    funnelSection(input),
    licences(facts, license.spdx),
    dedup(input),
    decontamination(input),
    secrets(input),
    verification(input),
    loading(input),
  ];
  return sections.join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

function intro({ facts, report, exportedAt }: CardInput): string {
  const parts = [`${n(report.natural)} natural`, `${n(report.llm)} LLM`];
  if (report.imported > 0) parts.push(`${n(report.imported)} imported`);
  return [
    `An instruction-tuning dataset for code LLMs made by Semiverse, in the browser, from the Python code of`,
    `\`${facts.name}\` (a ${facts.origin === 'zip' ? '.zip' : facts.origin === 'import' ? 'JSONL import' : 'folder'}), exported ${exportedAt.toISOString().slice(0, 10)}.`,
    `Every sample is an instruction, a Python response and tests that passed when run after the response.`,
    `**${n(report.lines)} samples** (${parts.join(', ')}); train ${n(report.splits.train)}, validation ${n(report.splits.validation)}.`,
    '',
    '- _natural_ samples: the docstring is the instruction, the function (with the imports, helpers and',
    '  constants it needs) the response, its doctests (as asserts) the tests;',
    '- _LLM_ samples (Inverse-Instruct + Semi-Instruct): an instruction written by an LLM from the code and',
    '  judged by P(Yes), tests whose expected values come from running the original code, and a response',
    '  written by the LLM from the instruction alone that passed them.',
  ].join('\n');
}

function files(list: readonly DatasetFile[], { options, infoNames, report }: CardInput): string {
  const rows = list.map((f) => [`\`${f.path}\``, f.format, f.split, n(f.lines), `\`${infoNames[f.path] ?? ''}\``]);
  const system = options.system.trim() === '' ? 'none' : `"${options.system.replace(/\n/g, ' ')}"`;
  const split =
    options.validation > 0
      ? `by source file: ${Math.round(options.validation * 100)} % of the files (a seeded hash of the path, seed \`${options.splitSeed}\`) go to validation, so no file has samples on both sides.`
      : 'none (every sample is in train).';
  return [
    '## Files',
    '',
    table(['file', 'format', 'split', 'samples', 'dataset_info.json entry'], rows),
    '',
    '- `raw`: every field of the sample (below); `messages`: `{"messages": [{"role", "content"}]}` (system, user,',
    '  assistant); `alpaca`: `instruction`, `input` (empty), `output`, `system`; `sharegpt`:',
    '  `{"conversations": [{"from", "value"}]}` (system, human, gpt).',
    `- System prompt: ${system}. Response of LLM samples: the ${report.response === 'solution' ? 'verified solution' : 'original code'}.`,
    `- Split: ${split}`,
  ].join('\n');
}

function fields(): string {
  return [
    '## Fields of the raw format',
    '',
    table(
      ['field', 'meaning'],
      [
        ['`id`', '`path::qualname::line` of the function (`::inverse-semi` for LLM samples)'],
        ['`instruction`', 'the docstring (natural) or the instruction the judge scored best (LLM)'],
        ['`response`', 'the standalone program: imports, helpers and constants it needs, then the function'],
        ['`tests`', 'Python statements that pass when run after `response` with CPython'],
        ['`entry_point`', 'the function tested: `f` or `Class.method`'],
        ['`method`', '`natural-doctest` or `inverse-semi`'],
        ['`response_kind`', 'LLM samples: `solution` (written by the LLM) or `original`'],
        ['`scores`', 'LLM samples: `yes_prob`, `round_trip_pass_rate`, `line_coverage`'],
        ['`model`, `fingerprint`', 'LLM samples: the model, and a hash of the settings and prompt versions'],
        ['`source`', '`project`, `path`, `start_line`, `end_line`, `sha256` of the file (LLM: `original_code`)'],
        ['`verification`', 'what ran and on which Python (`runtime`)'],
        ['`python_version`', 'the oldest Python (3.8–3.14) whose grammar accepts the response and tests'],
        [
          '`findings`',
          'what the screens found: benchmark tasks, secret and personal-data rules, a duplicate instruction, whether the line was redacted',
        ],
      ],
    ),
  ].join('\n');
}

function funnelSection({ facts, report }: CardInput): string {
  const c = facts.counts;
  const b = c.byStatus;
  const drop = (origin: 'natural' | 'llm' | 'imported') =>
    (Object.keys(DROP_WHY) as DropWhy[])
      .flatMap((why) => {
        const k = report.dropped[origin][why];
        return k === undefined ? [] : [`${DROP_WHY[why]}: ${n(k)}`];
      })
      .join('; ') || 'none';
  const natural = table(
    ['step', 'count'],
    [
      ['files read', n(c.filesAccepted)],
      ['functions found', n(c.functions)],
      ['with doctests', n(c.withDoctests)],
      ['doctests passed (twice, under two seeds)', n(b.passed)],
      [
        'left out at the run',
        `failed ${n(b.failed)}, error ${n(b.error)}, timed out ${n(b.timeout)}, nondeterministic ${n(b.nondeterministic)}, not runnable ${n(b.not_runnable)}, crashed ${n(b.crashed)}, out of memory ${n(b.memory)}`,
      ],
      ['passed but a copy of another function (deduplication: the one kept stands for it)', n(report.copies)],
      ['passed but no instruction (docstring of examples only)', n(report.withoutInstruction)],
      ['left out at export', drop('natural')],
      ['exported', n(report.natural)],
    ],
  );
  const parts = ['## How the samples were made', '', '### Natural samples', '', natural];
  const config = facts.pipeline;
  if (config.mode === 'llm') {
    const s = config.settings;
    parts.push(
      '',
      '### LLM samples',
      '',
      `Model: \`${config.model.id}\` (${config.model.engine === 'webllm' ? 'in the browser, web-llm' : 'an OpenAI-compatible server'}).`,
      `Prompt versions: instruct \`${facts.prompts.instruct}\`, judge \`${facts.prompts.judge}\`, probe \`${facts.prompts.probe}\`, solve \`${facts.prompts.solve}\`.`,
      `Settings: K = ${s.instruct.k} candidate instructions at temperature ${s.instruct.temperature}, judge threshold ${s.judge.threshold}, ${s.probe.n} proposed inputs (+${s.probe.mutations} mutations), ${s.oracle.minCases}–${s.oracle.maxCases} oracle cases, solve temperature ${s.solve.temperature}, seed ${s.seed}.`,
      config.fingerprints ? `Fingerprint of the verify stage: \`${config.fingerprints.verify}\`.` : '',
      '',
    );
    if (facts.funnel)
      parts.push(
        table(
          ['stage', 'in', 'kept', 'dropped (by reason)', 'pending'],
          facts.funnel.map((row) => [
            STAGE_LABELS[row.stage],
            n(row.in),
            n(row.kept),
            Object.entries(row.dropped)
              .map(([reason, k]) => `${DROP_REASONS[reason as DropReason]}: ${n(k ?? 0)}`)
              .join('; ') || '–',
            n(row.pending),
          ]),
        ),
        '',
      );
    parts.push(
      `Accepted by the stages in order ${LLM_STAGES.join(' → ')}; left out at export: ${drop('llm')}; exported: ${n(report.llm)}.`,
    );
  }
  if (report.imported > 0 || Object.keys(report.dropped.imported).length > 0)
    parts.push(
      '',
      `Imported lines (from earlier exports): exported ${n(report.imported)}; left out: ${drop('imported')}.`,
    );
  return parts.join('\n');
}

function licences(facts: CardFacts, spdx: string[]): string {
  const rows = facts.licenses.map((l) => [
    `\`${l.path}\``,
    l.source === 'file' ? 'licence file' : 'SPDX header',
    l.spdx ?? 'not recognised',
  ]);
  const summary =
    spdx.length === 0
      ? 'No licence was recognised in the source folder: find out under what terms the code may be used before publishing.'
      : spdx.length === 1
        ? `The source code is under **${spdx[0]}**; the samples are derived from it.`
        : `The source code carries several licences (${spdx.join(', ')}); the samples are derived from it, each under its file's licence.`;
  return [
    '## Source and licences',
    '',
    `Source: \`${facts.name}\`. ${summary}`,
    '',
    rows.length > 0 ? table(['path', 'found as', 'licence (SPDX)'], rows) : '',
  ].join('\n');
}

function dedup({ facts, report, options }: CardInput): string {
  const lines = ['## Deduplication', ''];
  if (facts.dedup)
    lines.push(
      `Before any function ran, copies among the functions were set aside, one per group kept: ${n(facts.dedup.exact)} exact (the same normalised AST) and ${n(facts.dedup.near)} near (MinHash Jaccard of token 5-grams).`,
    );
  const dropped = droppedTotal(report)['duplicate-instruction'] ?? 0;
  lines.push(
    `Instructions repeated across the dataset: ${n(report.tally.duplicateInstructions)} samples repeat another's instruction; ${options.duplicates === 'drop' ? `dropped: ${n(dropped)}` : 'kept (marked in `findings.duplicate_instruction_of`)'}.`,
  );
  return lines.join('\n');
}

function decontamination({ report, options }: CardInput): string {
  const entries = Object.entries(report.tally.benchmark);
  const action = options.benchmark === 'drop' ? 'dropped' : 'kept (marked in `findings.benchmark`)';
  const rows = entries.map(([benchmark, t]) => [
    benchmark,
    n(t.samples),
    n(t.tasks.length),
    n(t.dropped),
    n(t.samples - t.dropped),
  ]);
  return [
    '## Decontamination',
    '',
    'Every sample was checked against HumanEval (164 tasks) and MBPP (sanitized, 427 tasks): shared runs of 13',
    'normalised code tokens or 10 words, and near-duplicate solutions (MinHash Jaccard ≥ 0.7).',
    `Samples that match a task: ${action}.`,
    '',
    entries.length > 0
      ? table(['benchmark', 'samples matching', 'tasks matched', 'dropped', 'kept'], rows)
      : 'No sample matched a benchmark task.',
  ].join('\n');
}

function secrets({ report, options }: CardInput): string {
  const act = (a: 'drop' | 'redact' | 'keep') => ({ drop: 'dropped', redact: 'redacted', keep: 'kept' })[a];
  const rows = [
    ...Object.entries(report.tally.secrets).map(([rule, t]) => [
      'secret',
      rule,
      n(t.findings),
      n(t.samples),
      act(options.secrets),
    ]),
    ...Object.entries(report.tally.pii).map(([rule, t]) => [
      'personal data',
      rule,
      n(t.findings),
      n(t.samples),
      act(options.pii),
    ]),
  ];
  return [
    '## Secrets and personal data',
    '',
    'Every sample was scanned for secrets (keys, tokens, passwords) and personal data (e-mail and IP addresses).',
    'The values found are never written here.',
    `Redacted samples: ${n(report.redacted)} (masked after verification: their tests may no longer pass).`,
    '',
    rows.length > 0 ? table(['kind', 'rule', 'findings', 'samples', 'action'], rows) : 'Nothing was found.',
  ].join('\n');
}

function verification({ report, options }: CardInput): string {
  const versions = Object.entries(report.pythonVersions)
    .sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : Number(a.split('.')[1]) - Number(b.split('.')[1])))
    .map(([v, k]) => `${v}: ${n(k)}`)
    .join(', ');
  return [
    '## Verification',
    '',
    `Every test of every sample passed when run after its response on ${report.runtimes.map((r) => `\`${r}\``).join(', ') || 'the browser’s Python'}, in a sandbox, and again under another hash seed and random seed; LLM samples' tests also passed after the original code.`,
    `Oldest Python whose grammar accepts each sample: ${versions || 'none written'}.`,
    options.maxPython ? `Samples needing a Python newer than ${options.maxPython} were left out.` : '',
    'To check a line yourself: `python3 -c "$(jq -r \'.response + "\\n" + (.tests | join("\\n"))\' <<< "$LINE")"`.',
  ].join('\n');
}

function loading({ report, infoNames }: CardInput): string {
  const formats = new Set(report.files.map((f) => f.format));
  const filesOf = (format: string) =>
    report.files
      .filter((f) => f.format === format)
      .map((f) => `"${f.split}": "${f.path}"`)
      .join(', ');
  const parts = ['## How to load', ''];
  const chat = formats.has('messages') ? 'messages' : [...formats][0];
  if (chat)
    parts.push(
      'With 🤗 `datasets` (and TRL, whose `SFTTrainer` reads the `messages` format as it is):',
      '',
      '```python',
      'from datasets import load_dataset',
      `ds = load_dataset("json", data_files={${filesOf(chat)}})`,
      ...(chat === 'messages'
        ? [
            'from trl import SFTConfig, SFTTrainer',
            'trainer = SFTTrainer(model="Qwen/Qwen2.5-Coder-1.5B-Instruct", train_dataset=ds["train"], args=SFTConfig(output_dir="out"))',
          ]
        : []),
      '```',
      '',
    );
  const names = Object.values(infoNames).filter((name) => !name.endsWith('_validation'));
  parts.push(
    'With LLaMA-Factory: point `dataset_dir` at this folder (it holds `dataset_info.json`) and name an entry:',
    '',
    '```yaml',
    'dataset_dir: path/to/this/folder',
    `dataset: ${names[0] ?? ''}`,
    '```',
    '',
  );
  const axolotl: string[] = [];
  if (formats.has('messages'))
    axolotl.push(
      `  - path: ${report.files.find((f) => f.format === 'messages')!.path}`,
      '    ds_type: json',
      '    type: chat_template',
      '    field_messages: messages',
      '    message_property_mappings:',
      '      role: role',
      '      content: content',
    );
  if (formats.has('alpaca'))
    axolotl.push(
      `  - path: ${report.files.find((f) => f.format === 'alpaca')!.path}`,
      '    ds_type: json',
      '    type: alpaca',
    );
  if (axolotl.length > 0) parts.push('With Axolotl:', '', '```yaml', 'datasets:', ...axolotl, '```');
  return parts.join('\n');
}
