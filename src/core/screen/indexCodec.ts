/**
 * The benchmark index as compact, JSON-able data: what the Vite plugin writes into the bundle and the app
 * decodes. A table's hashes are sorted, so it is stored as Rice-coded gaps (about log2(mean gap) + 2 bits
 * each instead of 44), each followed by its number of tasks (unary) and the tasks (fixed width); the
 * MinHash signatures of the tasks that have one are stored as bytes. Binary parts travel as base64.
 *
 * `params` records the settings the index was built with: decoding an index built with other settings
 * (n, hash bits, permutations) throws instead of silently matching nothing.
 */
import {
  CODE_N,
  MAX_TASKS_PER_GRAM,
  MIN_WORDS,
  RENAMED_N,
  TEXT_N,
  type Benchmark,
  type BenchmarkIndex,
  type GramTable,
} from './benchmarkIndex.ts';
import { GRAM_HASH_BITS } from './hash32.ts';
import { MIN_SHINGLES, PERMUTATIONS, SHINGLE } from './minhash.ts';

/**
 * Bumped whenever the normalisation or hashing changes what a given text hashes to, or what a table holds
 * (2: the code table also holds whole functions too short for a 13-gram, shortFunctions.ts).
 */
export const INDEX_FORMAT = 2;

export type EncodedBenchmarkIndex = {
  format: number;
  params: Record<string, number>;
  /** Task ids in index order ("HumanEval/0", "MBPP/2"…). */
  tasks: string[];
  code: string;
  renamed: string;
  text: string;
  /** One byte per task (1: signed), then PERMUTATIONS bytes per signed task. */
  signatures: string;
};

const PARAMS = (): Record<string, number> => ({
  format: INDEX_FORMAT,
  CODE_N,
  RENAMED_N,
  TEXT_N,
  MAX_TASKS_PER_GRAM,
  MIN_WORDS,
  GRAM_HASH_BITS,
  PERMUTATIONS,
  SHINGLE,
  MIN_SHINGLES,
});

export function encodeBenchmarkIndex(index: BenchmarkIndex): EncodedBenchmarkIndex {
  const signed = [...index.signed].flatMap((s, task) => (s ? [task] : []));
  const signatures = new Uint8Array(index.tasks.length + signed.length * PERMUTATIONS);
  signatures.set(index.signed);
  signed.forEach((task, k) =>
    signatures.set(
      index.signatures.subarray(task * PERMUTATIONS, (task + 1) * PERMUTATIONS),
      index.tasks.length + k * PERMUTATIONS,
    ),
  );
  const taskBits = bitsFor(index.tasks.length);
  return {
    format: INDEX_FORMAT,
    params: PARAMS(),
    tasks: index.tasks.map((t) => t.taskId),
    code: toBase64(encodeTable(index.code, taskBits)),
    renamed: toBase64(encodeTable(index.renamed, taskBits)),
    text: toBase64(encodeTable(index.text, taskBits)),
    signatures: toBase64(signatures),
  };
}

export function decodeBenchmarkIndex(encoded: EncodedBenchmarkIndex): BenchmarkIndex {
  const expected = PARAMS();
  for (const [name, value] of Object.entries(expected))
    if (encoded.params?.[name] !== value)
      throw new Error(
        `the benchmark index was built with ${name} = ${encoded.params?.[name]}, this code needs ${value}`,
      );
  const tasks = encoded.tasks.map((taskId) => ({ benchmark: benchmarkOf(taskId), taskId }));
  const taskBits = bitsFor(tasks.length);
  const packed = fromBase64(encoded.signatures);
  const signed = packed.slice(0, tasks.length);
  const signatures = new Uint8Array(tasks.length * PERMUTATIONS);
  let next = tasks.length;
  signed.forEach((s, task) => {
    if (!s) return;
    signatures.set(packed.subarray(next, next + PERMUTATIONS), task * PERMUTATIONS);
    next += PERMUTATIONS;
  });
  return {
    tasks,
    code: decodeTable(fromBase64(encoded.code), taskBits),
    renamed: decodeTable(fromBase64(encoded.renamed), taskBits),
    text: decodeTable(fromBase64(encoded.text), taskBits),
    signatures,
    signed,
  };
}

function benchmarkOf(taskId: string): Benchmark {
  if (taskId.startsWith('HumanEval/')) return 'HumanEval';
  if (taskId.startsWith('MBPP/')) return 'MBPP';
  throw new Error(`unknown benchmark task ${taskId}`);
}

const bitsFor = (count: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(2, count))));

/** Header: entry count (32 bits), Rice parameter (6 bits); then per hash: gap, tasks − 1 (unary), tasks. */
function encodeTable(table: GramTable, taskBits: number): Uint8Array {
  const { hashes, offsets, tasks } = table;
  const span = hashes.length > 0 ? hashes[hashes.length - 1]! : 0;
  const rice = hashes.length > 0 ? Math.max(0, Math.floor(Math.log2(Math.max(1, span / hashes.length)))) : 0;
  const out = new BitWriter();
  out.write(hashes.length, 32);
  out.write(rice, 6);
  let previous = 0;
  hashes.forEach((hash, i) => {
    const gap = hash - previous;
    previous = hash;
    out.unary(Math.floor(gap / 2 ** rice));
    out.wide(gap % 2 ** rice, rice);
    const count = offsets[i + 1]! - offsets[i]!;
    out.unary(count - 1);
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) out.write(tasks[k]!, taskBits);
  });
  return out.bytes();
}

function decodeTable(bytes: Uint8Array, taskBits: number): GramTable {
  const input = new BitReader(bytes);
  const count = input.read(32);
  const rice = input.read(6);
  const hashes = new Float64Array(count);
  const offsets = new Uint32Array(count + 1);
  const tasks: number[] = [];
  let previous = 0;
  for (let i = 0; i < count; i++) {
    previous += input.unary() * 2 ** rice + input.wide(rice);
    hashes[i] = previous;
    const k = input.unary() + 1;
    for (let j = 0; j < k; j++) tasks.push(input.read(taskBits));
    offsets[i + 1] = tasks.length;
  }
  return { hashes, offsets, tasks: Uint16Array.from(tasks) };
}

class BitWriter {
  #bytes = new Uint8Array(1 << 16);
  #bit = 0;

  /** `count` ≤ 32 low bits of `value`, most significant first. */
  write(value: number, count: number): void {
    for (let b = count - 1; b >= 0; b--) this.#push((value >>> b) & 1);
  }

  /** Up to 53 bits. */
  wide(value: number, count: number): void {
    if (count > 32) {
      this.write(Math.floor(value / 2 ** 32), count - 32);
      this.write(value % 2 ** 32, 32);
    } else this.write(value, count);
  }

  unary(n: number): void {
    for (let i = 0; i < n; i++) this.#push(1);
    this.#push(0);
  }

  bytes(): Uint8Array {
    return this.#bytes.slice(0, Math.ceil(this.#bit / 8));
  }

  #push(bit: number): void {
    if (this.#bit >> 3 >= this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    if (bit) this.#bytes[this.#bit >> 3]! |= 0x80 >> (this.#bit & 7);
    this.#bit++;
  }
}

class BitReader {
  #bit = 0;
  constructor(private readonly bytes: Uint8Array) {}

  read(count: number): number {
    let value = 0;
    for (let b = 0; b < count; b++) value = value * 2 + this.#next();
    return value;
  }

  wide(count: number): number {
    return this.read(count);
  }

  unary(): number {
    let n = 0;
    while (this.#next()) n++;
    return n;
  }

  #next(): number {
    if (this.#bit >> 3 >= this.bytes.length) throw new Error('the benchmark index is truncated');
    const bit = (this.bytes[this.#bit >> 3]! >> (7 - (this.#bit & 7))) & 1;
    this.#bit++;
    return bit;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
