/**
 * The decontamination index: for every HumanEval and MBPP task, the hashes of its code 13-grams and text
 * 10-grams (normalise.ts, ngrams.ts) and a MinHash signature of its reference solution. Built once, at
 * build time, by the Vite plugin in build/benchmarkIndexPlugin.ts (and by tests from the same files with
 * the same function); the app decodes it (indexCodec.ts) when the screen first needs it.
 *
 * Invariants: `hashes` of a table are sorted and distinct; the tasks of `hashes[i]` are
 * `tasks[offsets[i] .. offsets[i + 1])`, ascending; an n-gram shared by more than MAX_TASKS_PER_GRAM
 * tasks is left out (an idiom of the benchmarks, not one task's text: see the constant).
 */
import { codeTokens, words, unixLines, type CodeToken } from './normalise.ts';
import { codeGrams, wordGrams } from './ngrams.ts';
import { PERMUTATIONS, shingles, signature } from './minhash.ts';
import { shortFunctions } from './shortFunctions.ts';

export type Benchmark = 'HumanEval' | 'MBPP';

/** One benchmark task as the index reads it: code (solution, tests) and text (the task's wording). */
export type BenchmarkItem = { benchmark: Benchmark; taskId: string; code: string[]; text: string[]; solution: string };

/** n-gram hash → tasks. */
export type GramTable = { hashes: Float64Array; offsets: Uint32Array; tasks: Uint16Array };

export type BenchmarkIndex = {
  tasks: readonly { benchmark: Benchmark; taskId: string }[];
  /** Code 13-grams, names as written: solutions, prompts and tests; and whole functions shorter than that. */
  code: GramTable;
  /** Code RENAMED_N-grams with names numbered per window: solutions only (tests are mostly literals). */
  renamed: GramTable;
  text: GramTable;
  /** PERMUTATIONS slots per task, in task order; `signed[t]` is 0 where a task's solution is too short. */
  signatures: Uint8Array;
  signed: Uint8Array;
};

/** Code n-grams: 13 tokens, as in GPT-3's and Llama's decontamination (13-gram overlap). */
export const CODE_N = 13;
/**
 * Renamed code n-grams: 18 tokens. At 13, numbering names makes idioms match (measured on the standard
 * library's functions: 2.5 % shared a renamed 13-gram with some task), e.g.
 * `def __new__(metaclass, name, bases, namespace): result =`; at 18, 12 of its 13,692 functions have any
 * finding at all (decontaminate.test.ts, "code that copies no task").
 */
export const RENAMED_N = 18;
/** Text n-grams: 10 words; a task statement in MBPP is 10-30 words, so 13 would miss most paraphrases. */
export const TEXT_N = 10;
/**
 * An n-gram found in more than this many tasks is dropped: it is benchmark boilerplate ("write a python
 * function to check whether the given number is", `for i in range(len(arr)): for j in range(i + 1,`),
 * which ordinary code and instructions share with them, not contamination.
 */
export const MAX_TASKS_PER_GRAM = 2;
/** Names, keywords or strings a code window needs to be indexed (see wordedWindows). */
export const MIN_WORDS = 4;

/** Parse the two benchmark files (JSONL as data/benchmarks holds them) into items; throws on a bad row. */
export function benchmarkItems(humanEvalJsonl: string, mbppJsonl: string): BenchmarkItem[] {
  const rows = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const str = (row: Record<string, unknown>, key: string): string => {
    const value = row[key];
    if (typeof value !== 'string') throw new Error(`benchmark row ${String(row['task_id'])}: ${key} is not text`);
    return value;
  };
  const humanEval = rows(humanEvalJsonl).map((row): BenchmarkItem => {
    const solution = str(row, 'prompt') + str(row, 'canonical_solution');
    const test = str(row, 'test');
    // The tests call the solution `candidate`; copied into a dataset they call it by its name.
    const named = test.replace(/\bcandidate\b/g, str(row, 'entry_point'));
    return { benchmark: 'HumanEval', taskId: str(row, 'task_id'), code: [solution, test, named], text: [], solution };
  });
  const mbpp = rows(mbppJsonl).map((row): BenchmarkItem => {
    const tests = row['test_list'];
    if (!Array.isArray(tests) || !tests.every((t) => typeof t === 'string'))
      throw new Error(`benchmark row MBPP/${String(row['task_id'])}: test_list is not a list of text`);
    const code = str(row, 'code');
    return {
      benchmark: 'MBPP',
      taskId: `MBPP/${String(row['task_id'])}`,
      code: [code, tests.join('\n')],
      text: [str(row, 'text')],
      solution: code,
    };
  });
  return [...humanEval, ...mbpp];
}

/** Every n-gram hash of an item, per channel (a set: one entry per task however often it occurs). */
function itemGrams(item: BenchmarkItem): { code: Set<number>; renamed: Set<number>; text: Set<number> } {
  const code = new Set<number>();
  const text = new Set<number>();
  for (const source of item.code) {
    const unix = unixLines(source);
    const { tokens, prose } = codeTokens(unix);
    const worded = wordedWindows(tokens, CODE_N);
    codeGrams(tokens, CODE_N, false).forEach((h, i) => worded[i] && code.add(h));
    // Functions too short for a 13-gram go in whole (their hashes are seeded with their length).
    for (const f of shortFunctions(tokens, unix, CODE_N))
      if (wordedWindows(tokens.slice(f.first, f.first + f.length), f.length)[0]) code.add(f.hash);
    for (const h of wordGrams(words(unix, prose), TEXT_N)) text.add(h);
  }
  for (const source of item.text) for (const h of wordGrams(words(source), TEXT_N)) text.add(h);
  const solution = codeTokens(unixLines(item.solution)).tokens;
  const worded = wordedWindows(solution, RENAMED_N);
  const renamed = new Set(codeGrams(solution, RENAMED_N, true).filter((_, i) => worded[i]));
  return { code, renamed, text };
}

/**
 * Whether each window of n tokens holds at least MIN_WORDS names, keywords or strings: a window of
 * punctuation and numbers (`-1, -1, -1, -1, -1, -1,`, `(3, 1), (4, 1), (5, 1)`) is table data any code
 * may hold, so it is not indexed.
 */
function wordedWindows(tokens: readonly CodeToken[], n: number): boolean[] {
  const wordy = tokens.map((t) => (/^[\p{L}_"]/u.test(t.key) ? 1 : 0));
  const out: boolean[] = [];
  let count = wordy.slice(0, n).reduce<number>((a, b) => a + b, 0);
  for (let i = 0; i + n <= tokens.length; i++) {
    if (i > 0) count += wordy[i + n - 1]! - wordy[i - 1]!;
    out.push(count >= MIN_WORDS);
  }
  return out;
}

export function buildBenchmarkIndex(items: readonly BenchmarkItem[]): BenchmarkIndex {
  if (items.length > 0xffff) throw new Error('too many benchmark tasks for 16-bit task numbers');
  const code = new GramPairs();
  const renamed = new GramPairs();
  const text = new GramPairs();
  const signatures = new Uint8Array(items.length * PERMUTATIONS);
  const signed = new Uint8Array(items.length);
  items.forEach((item, task) => {
    const grams = itemGrams(item);
    code.add(grams.code, task);
    renamed.add(grams.renamed, task);
    text.add(grams.text, task);
    const sig = signature(shingles(codeTokens(unixLines(item.solution)).tokens));
    if (sig) {
      signatures.set(sig, task * PERMUTATIONS);
      signed[task] = 1;
    }
  });
  return {
    tasks: items.map(({ benchmark, taskId }) => ({ benchmark, taskId })),
    code: code.table(),
    renamed: renamed.table(),
    text: text.table(),
    signatures,
    signed,
  };
}

/** (hash, task) pairs, collected flat (a Map keyed by 44-bit numbers is several times slower). */
class GramPairs {
  #hashes: number[] = [];
  #tasks: number[] = [];

  add(hashes: Iterable<number>, task: number): void {
    for (const h of hashes) {
      this.#hashes.push(h);
      this.#tasks.push(task);
    }
  }

  table(): GramTable {
    const hs = this.#hashes;
    const ts = this.#tasks;
    const order = Uint32Array.from(hs.keys()).sort((a, b) => hs[a]! - hs[b]! || ts[a]! - ts[b]!);
    const hashes: number[] = [];
    const offsets: number[] = [0];
    const tasks: number[] = [];
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j < order.length && hs[order[j]!] === hs[order[i]!]) j++;
      if (j - i <= MAX_TASKS_PER_GRAM) {
        hashes.push(hs[order[i]!]!);
        for (let k = i; k < j; k++) tasks.push(ts[order[k]!]!);
        offsets.push(tasks.length);
      }
      i = j;
    }
    return { hashes: Float64Array.from(hashes), offsets: Uint32Array.from(offsets), tasks: Uint16Array.from(tasks) };
  }
}

/** The tasks that hold n-gram `hash` (empty when none). */
export function tasksOf(table: GramTable, hash: number): Uint16Array {
  const { hashes } = table;
  let lo = 0;
  let hi = hashes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = hashes[mid]!;
    if (value < hash) lo = mid + 1;
    else if (value > hash) hi = mid - 1;
    else return table.tasks.subarray(table.offsets[mid], table.offsets[mid + 1]);
  }
  return EMPTY;
}

const EMPTY = new Uint16Array(0);
