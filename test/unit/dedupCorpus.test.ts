/**
 * Dedup on real code: module-level functions of the standard library in Pyodide's python_stdlib.zip,
 * normalised by the real harness, plus planted copies of some of them (renamed, re-commented, a line
 * added, both). Checks MinHash's estimates against the exact Jaccard similarity of the same shingle sets,
 * LSH's recall and precision at 0.7 against every pair whose exact similarity reaches it, and that the
 * planted copies land with their originals.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderFromZip } from '../../src/adapters/files/zip.ts';
import { toNormaliseReply } from '../../src/adapters/python/settle.ts';
import { layeredDedup, cachedParams, cachedPermutations } from '../../src/core/dedup/layered.ts';
import { linkNear } from '../../src/core/dedup/lsh.ts';
import { MinHasher, estimateJaccard } from '../../src/core/dedup/minhash.ts';
import { shingles } from '../../src/core/dedup/shingles.ts';
import { ingestFolder } from '../../src/core/ingest/walk.ts';
import type { NormalisedFunction } from '../../src/domain/dataset.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import type { Runner } from '../../workers/python/runner.ts';

const zipPath = createRequire(import.meta.url).resolve('pyodide/python_stdlib.zip');
/** Enough functions for hundreds of thousands of pairs, few enough to normalise in seconds. */
const FUNCTIONS = 2_000;
const PLANT_EVERY = 8;
const THRESHOLD = 0.7;
const NUM_PERM = 250;

type Kind = 'original' | 'renamed' | 'comments' | 'line-added' | 'renamed+line';
type Fn = { name: string; kind: Kind; of: number | null; normalised: NormalisedFunction; set: Uint32Array };

let runner: Runner;
const fns: Fn[] = [];

beforeAll(async () => {
  runner = await nodeRunner();
  const source = await folderFromZip(new Blob([readFileSync(zipPath)]), 'python_stdlib');
  const files: { path: string; text: string }[] = [];
  for await (const event of ingestFolder(source)) if (event.type === 'file') files.push(event.file);
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const planted: { source: string; kind: Kind; of: number }[] = [];
  for (const file of files) {
    if (fns.length >= FUNCTIONS) break;
    const lines = file.text.split('\n');
    const linenos = lines.flatMap((line, i) => (/^def \w+\(.*\):\s*$/.test(line) ? [i + 1] : []));
    const reply = normalise(file.text, linenos);
    if (!reply) continue;
    reply.forEach((normalised, k) => {
      if (!normalised || normalised.tokens.length < 20) return;
      const at = fns.length;
      fns.push({
        name: `${file.path}:${linenos[k]}`,
        kind: 'original',
        of: null,
        normalised,
        set: shingles(normalised.tokens),
      });
      // Decorators are part of a function (they change what it is); the copies here start at `def`.
      if (at % PLANT_EVERY === 0 && !lines[linenos[k]! - 2]?.startsWith('@')) {
        const text = functionSource(lines, linenos[k]! - 1);
        const kinds: Kind[] = ['renamed', 'comments', 'line-added', 'renamed+line'];
        planted.push({
          source: plant(text, kinds[(at / PLANT_EVERY) % 4]!),
          kind: kinds[(at / PLANT_EVERY) % 4]!,
          of: at,
        });
      }
    });
  }
  for (const copy of planted) {
    const [normalised] = normalise(copy.source, [1]) ?? [];
    if (normalised)
      fns.push({
        name: `planted ${copy.kind} of ${copy.of}`,
        kind: copy.kind,
        of: copy.of,
        normalised,
        set: shingles(normalised.tokens),
      });
  }
}, 300_000);

function normalise(text: string, linenos: number[]): (NormalisedFunction | null)[] | null {
  const reply = toNormaliseReply(runner.normalise({ text, linenos }), linenos.length);
  return reply.ok ? reply.functions : null;
}

/** A module-level function's lines: from its def to the last indented (or blank) line after it. */
function functionSource(lines: string[], def: number): string {
  let end = def + 1;
  while (end < lines.length && (lines[end]!.trim() === '' || /^\s/.test(lines[end]!))) end += 1;
  while (end > def + 1 && lines[end - 1]!.trim() === '') end -= 1;
  return lines.slice(def, end).join('\n');
}

/** A copy of a function as someone would make it. */
function plant(text: string, kind: Kind): string {
  let out = text;
  if (kind === 'renamed' || kind === 'renamed+line') {
    const params = /^def (\w+)\((.*)\):/.exec(out)!;
    const names = params[2]!
      .split(',')
      .map((p) => p.trim().replace(/^\*+/, '').split(/[:=]/)[0]!.trim())
      .filter((n) => /^[A-Za-z_]\w*$/.test(n) && n !== 'self' && n !== 'cls');
    const [def, ...body] = out.replace(/^def \w+/, `def ${params[1]}_copy`).split('\n');
    // Whole words, not after a dot (attributes) nor a keyword argument's name in a call (`f(x, name=...)`).
    const rename = (line: string, keywords: boolean) =>
      names.reduce(
        (text, name) =>
          text.replace(new RegExp(`(?<![.\\w'"])${name}\\b`, 'g'), (match, at: number) => {
            const before = text.slice(0, at);
            const inString = (before.split("'").length - 1) % 2 === 1 || (before.split('"').length - 1) % 2 === 1;
            const inCall = before.split('(').length > before.split(')').length && !/^\s*def /.test(text);
            const keyword = inCall && /[(,]\s*$/.test(before) && /^\s*=(?!=)/.test(text.slice(at + match.length));
            return inString || (keywords && keyword) ? match : `${name}_renamed`;
          }),
        line,
      );
    out = [rename(def!, false), ...body.map((line) => rename(line, true))].join('\n');
  }
  if (kind === 'comments') {
    const [def, ...body] = out.split('\n');
    const comment = (line: string) => (/^\s*#/.test(line) ? line.replace(/#.*$/, '# changed') : line);
    out = [def, '    # a comment the copy added', ...body.map(comment)].join('\n');
  }
  if (kind === 'line-added' || kind === 'renamed+line') out += '\n    _copied = True';
  return out;
}

function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both += 1;
      i += 1;
      j += 1;
    } else if (a[i]! < b[j]!) i += 1;
    else j += 1;
  }
  return both / (a.length + b.length - both);
}

describe('dedup on the standard library with planted copies', () => {
  it('has a corpus of real functions and copies', () => {
    expect(fns.filter((f) => f.kind === 'original').length).toBeGreaterThanOrEqual(FUNCTIONS);
    expect(fns.filter((f) => f.kind !== 'original').length).toBeGreaterThan(FUNCTIONS / PLANT_EVERY - 20);
  });

  it('estimates Jaccard similarity within the error MinHash promises (250 permutations)', () => {
    const hasher = new MinHasher(cachedPermutations(NUM_PERM, 1));
    const sigs = hasher.signAll(fns.map((f) => f.set));
    // Pairs of every similarity: each planted copy with its original, and neighbours in the corpus.
    const pairs: [number, number][] = [];
    fns.forEach((f, i) => {
      if (f.of !== null) pairs.push([f.of, i]);
      else if (i + 1 < fns.length && fns[i + 1]!.kind === 'original') pairs.push([i, i + 1]);
    });
    const errors = pairs.map(([i, j]) => ({
      exact: exactJaccard(fns[i]!.set, fns[j]!.set),
      estimate: estimateJaccard(sigs, NUM_PERM, i, j),
    }));
    const abs = errors.map((e) => Math.abs(e.estimate - e.exact));
    const mean = abs.reduce((s, e) => s + e, 0) / abs.length;
    // Standard error of one estimate is √(J(1−J)/250) ≤ 0.032.
    const wide = abs.filter((e) => e > 0.1).length / abs.length;
    const similar = errors.filter((e) => e.exact >= 0.5).length;
    console.info(
      `MinHash on ${pairs.length} pairs (${similar} with J ≥ 0.5): mean |error| ${mean.toFixed(4)}, max ${Math.max(...abs).toFixed(3)}, > 0.1: ${(wide * 100).toFixed(2)} %`,
    );
    expect(similar).toBeGreaterThan(200);
    expect(mean).toBeLessThan(0.02);
    expect(wide).toBeLessThan(0.005);
  });

  it('finds, at 0.7, the pairs whose exact similarity reaches it, and few others', () => {
    const perms = cachedPermutations(NUM_PERM, 1);
    const sigs = new MinHasher(perms).signAll(fns.map((f) => f.set));
    const params = cachedParams({ threshold: THRESHOLD, numPerm: NUM_PERM });
    const near = linkNear(sigs, fns.length, NUM_PERM, THRESHOLD, params);
    // Every pair at or above the threshold (J ≤ min/max size, so only sets of close sizes can be).
    const order = fns.map((_, i) => i).sort((a, b) => fns[a]!.set.length - fns[b]!.set.length);
    const bands = { '0.7–0.8': [0, 0], '0.8–0.9': [0, 0], '0.9–1': [0, 0] } as Record<string, [number, number]>;
    for (let x = 0; x < order.length; x++) {
      const a = fns[order[x]!]!.set;
      for (let y = x + 1; y < order.length && fns[order[y]!]!.set.length * THRESHOLD <= a.length; y++) {
        const j = exactJaccard(a, fns[order[y]!]!.set);
        if (j < THRESHOLD) continue;
        const band = j < 0.8 ? '0.7–0.8' : j < 0.9 ? '0.8–0.9' : '0.9–1';
        bands[band]![0] += 1;
        if (near.cluster[order[x]!] === near.cluster[order[y]!]) bands[band]![1] += 1;
      }
    }
    const linked = near.links.map((l) => exactJaccard(fns[l.a]!.set, fns[l.b]!.set));
    const precision = linked.filter((j) => j >= THRESHOLD).length / linked.length;
    const close = linked.filter((j) => j >= THRESHOLD - 0.1).length / linked.length;
    const recall = (band: string) => bands[band]![1] / Math.max(1, bands[band]![0]);
    console.info(
      `LSH ${params.bands}×${params.rows}, ${near.compared} candidate pairs compared, ${linked.length} links: ` +
        Object.entries(bands)
          .map(([b, [n, found]]) => `J ${b}: ${found}/${n}`)
          .join(', ') +
        `; links with exact J ≥ 0.7: ${(precision * 100).toFixed(1)} %, ≥ 0.6: ${(close * 100).toFixed(1)} %`,
    );
    expect(bands['0.9–1']![0]).toBeGreaterThan(100);
    expect(recall('0.9–1')).toBeGreaterThan(0.99);
    expect(recall('0.8–0.9')).toBeGreaterThan(0.9);
    expect(recall('0.7–0.8')).toBeGreaterThan(0.4);
    expect(precision).toBeGreaterThan(0.85);
    expect(close).toBeGreaterThan(0.99);
  });

  it('puts planted copies with their originals: renamed and re-commented ones as exact copies', () => {
    const { placements } = layeredDedup(
      fns.map((f) => ({ hash: f.normalised.hash, shingles: f.set, standalone: true, examples: 0, hasProse: false })),
      { threshold: THRESHOLD, numPerm: NUM_PERM },
    );
    const repOf = (i: number) => {
      const p = placements[i];
      return p?.role === 'duplicate' ? p.of : i;
    };
    const found: Record<string, [number, number, number]> = {};
    fns.forEach((f, i) => {
      if (f.of === null) return;
      const tally = (found[f.kind] ??= [0, 0, 0]);
      tally[0] += 1;
      if (repOf(i) === repOf(f.of)) tally[1] += 1;
      if (f.normalised.hash === fns[f.of]!.normalised.hash) tally[2] += 1;
    });
    console.info(
      'planted copies found (same cluster / same AST hash): ' +
        Object.entries(found)
          .map(([k, [n, c, h]]) => `${k} ${c}/${n} (${h} exact)`)
          .join(', '),
    );
    const share = (kind: string, at: 1 | 2) => found[kind]![at] / found[kind]![0];
    expect(share('comments', 2)).toBe(1);
    // The regex renamer here is cruder than a person: it leaves names inside f-strings and some keyword
    // arguments as they were, which makes a different function (the near layer still finds most of them).
    expect(share('renamed', 2)).toBeGreaterThan(0.8);
    expect(share('renamed', 1)).toBeGreaterThan(0.95);
    expect(share('comments', 1)).toBe(1);
    expect(share('line-added', 1)).toBeGreaterThan(0.9);
    expect(share('renamed+line', 1)).toBeGreaterThan(0.9);
    // A line added changes the AST: those are found by the near layer only.
    expect(share('line-added', 2)).toBe(0);
  });
});
