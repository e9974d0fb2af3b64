/**
 * Benchmark contamination of one sample: every field is normalised as the index was (normalise.ts) and
 * its n-grams looked up. A task that shares at least one code 13-gram or text 10-gram with a field, or a
 * whole function too short for a 13-gram (shortFunctions.ts), is a finding for that field, shown with the longest run of n-grams they share; a response whose MinHash
 * estimate of Jaccard similarity with a task's solution reaches NEAR_DUPLICATE is a finding too, even when
 * edits leave no 13 tokens in a row the same.
 *
 * Why not substring matching (what Magicoder and SelfCodeAlign do): a copy with renamed variables, another
 * layout, other quotes, a reworded docstring or its tests rewritten as top-level asserts shares no long
 * substring with the original, but shares normalised n-grams (see decontaminate.test.ts).
 */
import type { Finding, Sample, SampleField } from '../../domain/dataset.ts';
import { CODE_N, RENAMED_N, TEXT_N, tasksOf, type BenchmarkIndex, type GramTable } from './benchmarkIndex.ts';
import { PERMUTATIONS, shingles, signature, similarity } from './minhash.ts';
import { codeGrams, wordGrams } from './ngrams.ts';
import { codeTokens, unixLines, words, type CodeToken, type Span } from './normalise.ts';
import { shortFunctions } from './shortFunctions.ts';

/** MinHash Jaccard from which a response is a near duplicate of a benchmark solution (as SelfCodeAlign's dedup). */
export const NEAR_DUPLICATE = 0.7;
/** Excerpts longer than this are cut in the middle. */
const EXCERPT_MAX = 240;

type BenchmarkFinding = Extract<Finding, { kind: 'benchmark' }>;
/** The longest shared run with one task: its length in tokens (or words), and the text it spans. */
type Run = { length: number; span: Span };

export function benchmarkFindings(
  sample: Pick<Sample, 'instruction' | 'response' | 'tests'>,
  index: BenchmarkIndex,
): BenchmarkFinding[] {
  const findings: BenchmarkFinding[] = [];
  const fields: [SampleField, string, 'text' | 'code'][] = [
    ['instruction', sample.instruction, 'text'],
    ['response', sample.response, 'code'],
    ['tests', sample.tests.join('\n'), 'code'],
  ];
  for (const [field, raw, kind] of fields) {
    const text = unixLines(raw);
    const runs = new Map<number, Run>();
    if (kind === 'text') {
      longestRuns(wordGrams(words(text), TEXT_N), words(text), TEXT_N, index.text, runs);
    } else {
      const { tokens, prose } = codeTokens(text);
      longestRuns(codeGrams(tokens, CODE_N, false), tokens, CODE_N, index.code, runs);
      longestRuns(codeGrams(tokens, RENAMED_N, true), tokens, RENAMED_N, index.renamed, runs);
      wholeShortFunctions(tokens, text, index.code, runs);
      const proseWords = words(text, prose);
      longestRuns(wordGrams(proseWords, TEXT_N), proseWords, TEXT_N, index.text, runs);
      if (field === 'response') findings.push(...nearDuplicates(tokens, text, index));
    }
    for (const [task, run] of [...runs].sort((a, b) => a[0] - b[0])) {
      const { benchmark, taskId } = index.tasks[task]!;
      const excerpt = cut(text.slice(run.span.start, run.span.end));
      findings.push({ kind: 'benchmark', benchmark, taskId, field, how: { ngram: run.length }, excerpt });
    }
  }
  return findings;
}

/**
 * For each task some window of `grams` hits, the longest chain of consecutive windows that hit it (a run
 * of `chain + n - 1` shared tokens), kept in `runs` where longer than what is there.
 */
function longestRuns(
  grams: readonly number[],
  units: readonly Span[],
  n: number,
  table: GramTable,
  runs: Map<number, Run>,
): void {
  const open = new Map<number, { first: number; last: number }>();
  const close = (task: number, chain: { first: number; last: number }) => {
    const length = chain.last - chain.first + n;
    if ((runs.get(task)?.length ?? 0) >= length) return;
    runs.set(task, { length, span: { start: units[chain.first]!.start, end: units[chain.last + n - 1]!.end } });
  };
  grams.forEach((hash, i) => {
    for (const task of tasksOf(table, hash)) {
      const chain = open.get(task);
      if (chain && chain.last === i - 1) chain.last = i;
      else {
        if (chain) close(task, chain);
        open.set(task, { first: i, last: i });
      }
    }
  });
  for (const [task, chain] of open) close(task, chain);
}

/** A whole function too short for a 13-gram that is a task's whole function (shortFunctions.ts). */
function wholeShortFunctions(
  tokens: readonly CodeToken[],
  text: string,
  table: GramTable,
  runs: Map<number, Run>,
): void {
  for (const f of shortFunctions(tokens, text, CODE_N))
    for (const task of tasksOf(table, f.hash)) {
      if ((runs.get(task)?.length ?? 0) >= f.length) continue;
      const span = { start: tokens[f.first]!.start, end: tokens[f.first + f.length - 1]!.end };
      runs.set(task, { length: f.length, span });
    }
}

function nearDuplicates(
  tokens: Parameters<typeof shingles>[0],
  text: string,
  index: BenchmarkIndex,
): BenchmarkFinding[] {
  const sig = signature(shingles(tokens));
  if (!sig) return [];
  const found: BenchmarkFinding[] = [];
  const head = cut(text.trim().split('\n')[0] ?? '');
  index.tasks.forEach(({ benchmark, taskId }, task) => {
    if (!index.signed[task]) return;
    const jaccard = similarity(sig, index.signatures, task * PERMUTATIONS);
    if (jaccard >= NEAR_DUPLICATE) {
      const how = { jaccard: Math.round(jaccard * 100) / 100 };
      found.push({ kind: 'benchmark', benchmark, taskId, field: 'response', how, excerpt: head });
    }
  });
  return found;
}

function cut(text: string): string {
  if (text.length <= EXCERPT_MAX) return text;
  const head = Math.floor(EXCERPT_MAX * 0.7);
  return `${text.slice(0, head)} … ${text.slice(text.length - (EXCERPT_MAX - head - 3))}`;
}
