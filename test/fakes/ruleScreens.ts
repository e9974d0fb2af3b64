/**
 * Screens with plain, visible rules, for tests of what the screening stage and the export do with
 * findings (storing, re-screening, choosing, redacting), apart from how the real screens find them
 * (core/screen has its own tests on real data): a response containing a HumanEval reference solution's
 * body is a benchmark match, `AKIA` + 16 capitals or digits is an AWS key, an e-mail address is personal
 * data, the Python version is what the test says (else "3.8"), and equal instructions (case and spaces
 * aside) are duplicates.
 */
import type { Finding, Sample, SampleField } from '../../src/domain/dataset.ts';
import type { Screens } from '../../src/core/screen/screenStage.ts';
import { humanEval } from '../builders/benchmarks.ts';

const AWS_KEY = /AKIA[0-9A-Z]{16}/g;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/g;

const mask = (secret: string): string => `${secret.slice(0, 4)}${'*'.repeat(secret.length - 8)}${secret.slice(-4)}`;

export class RuleScreens implements Screens {
  readonly concurrency = 2;
  screened = 0;
  #solutions = humanEval().map((t) => ({ taskId: t.task_id, body: t.canonical_solution.trim() }));

  constructor(private readonly version: (sources: readonly string[]) => Promise<string | null> = async () => '3.8') {}

  screen(sample: Sample): Finding[] {
    this.screened += 1;
    const findings: Finding[] = [];
    for (const task of this.#solutions)
      if (task.body.length > 40 && sample.response.includes(task.body))
        findings.push({
          kind: 'benchmark',
          benchmark: 'HumanEval',
          taskId: task.taskId,
          field: 'response',
          how: { ngram: 13 },
          excerpt: task.body.slice(0, 60),
        });
    for (const [field, text] of fields(sample)) {
      text.split('\n').forEach((line, i) => {
        for (const match of line.matchAll(AWS_KEY))
          findings.push({ kind: 'secret', rule: 'aws-access-key-id', field, line: i + 1, excerpt: mask(match[0]) });
        for (const match of line.matchAll(EMAIL))
          findings.push({ kind: 'pii', rule: 'email', field, line: i + 1, excerpt: mask(match[0]) });
      });
    }
    return findings;
  }

  redact(sample: Sample, findings: readonly Finding[]): Sample {
    const kinds = new Set(findings.map((f) => f.kind));
    const clean = (text: string) => {
      let out = text;
      if (kinds.has('secret')) out = out.replace(AWS_KEY, '<REDACTED_SECRET>');
      if (kinds.has('pii')) out = out.replace(EMAIL, '<REDACTED_EMAIL>');
      return out;
    };
    return {
      ...sample,
      instruction: clean(sample.instruction),
      response: clean(sample.response),
      tests: sample.tests.map(clean),
    };
  }

  pythonVersion(sources: readonly string[]): Promise<string | null> {
    return this.version(sources);
  }

  duplicates(items: readonly { id: string; instruction: string }[]): Map<string, { of: string; jaccard: number }> {
    const first = new Map<string, string>();
    const found = new Map<string, { of: string; jaccard: number }>();
    for (const { id, instruction } of items) {
      const key = instruction.toLowerCase().replace(/\s+/g, ' ').trim();
      const of = first.get(key);
      if (of === undefined) first.set(key, id);
      else found.set(id, { of, jaccard: 1 });
    }
    return found;
  }
}

function fields(sample: Sample): [SampleField, string][] {
  return [
    ['instruction', sample.instruction],
    ['response', sample.response],
    ['tests', sample.tests.join('\n')],
  ];
}
