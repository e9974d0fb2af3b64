/**
 * `npm run bench:dedup [-- --functions 100000] [--threshold 0.7] [--perms 250] [--reps 1] [--fresh]`: the dedup
 * phase's clustering (src/core/dedup/layered.ts, the code the app runs: exact layer, MinHash, LSH) on N
 * functions, next to a native baseline doing the same MinHash and LSH work the way datasketch does it
 * (bench/dedup_native.py: python3 and NumPy), on the same shingle hashes, in the same run, as a ratio.
 *
 * The functions are the standard library's and planted copies of them (bench/dedupCorpus.ts; the
 * normalised library is cached under the OS temp dir, `--fresh` makes it again). Shingles are made by the
 * app's shingles.ts and written to one temp folder that the baseline reads. Neither side's time includes
 * reading its input or making shingles. Printed: both times, the ratios, the parameters, the candidate
 * pairs and clusters each side found, whether the clusters agree, and where the planted copies landed.
 * `--reps N` runs both sides N times, one after the other, and gives medians (the load of a shared
 * machine drifts: a ratio is best taken between runs next to each other).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedParams, cachedPermutations, layeredDedup, type DedupInput } from '../src/core/dedup/layered.ts';
import { shingles } from '../src/core/dedup/shingles.ts';
import { exactJaccard, stdlibCorpus, withPlantedCopies, type Item } from './dedupCorpus.ts';
import { python3 } from './python3.ts';

const here = dirname(fileURLToPath(import.meta.url));

type Options = { functions: number; threshold: number; numPerm: number; reps: number; fresh: boolean };

/** What dedup_native.py prints per arithmetic (one JSON line each). */
type NativeStats = {
  arithmetic: 'datasketch' | 'exact';
  signed: number;
  minhashSeconds: number;
  lshSeconds: number;
  totalSeconds: number;
  candidatePairs: number;
  links: number;
  python: string;
  numpy: string;
};

/** A side's result: each function's representative (its own index when it is kept). */
type Side = { name: string; short: string; seconds: number; detail: string; reps: Int32Array };

function parseArgs(argv: string[]): Options {
  const options: Options = { functions: 100_000, threshold: 0.7, numPerm: 250, reps: 1, fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${arg} wants a positive number`);
      return n;
    };
    if (arg === '--functions') options.functions = Math.round(value());
    else if (arg === '--threshold') options.threshold = value();
    else if (arg === '--perms') options.numPerm = Math.round(value());
    else if (arg === '--reps') options.reps = Math.round(value());
    else if (arg === '--fresh') options.fresh = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { functions, threshold, numPerm, reps, fresh } = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg()[0]!;
  const corpus = await stdlibCorpus(fresh);
  const originals = corpus.functions.slice(0, functions);
  const items = withPlantedCopies(originals, functions);

  let started = performance.now();
  const sets = items.map((item) => shingles(item.tokens));
  const shingleMs = performance.now() - started;
  const perms = cachedPermutations(numPerm, 1);
  const lsh = cachedParams({ threshold, numPerm });

  const dir = mkdtempSync(join(tmpdir(), 'semiverse-dedup-'));
  try {
    const totalShingles = writeInput(dir, items, sets, {
      numPerm,
      threshold,
      bands: lsh.bands,
      rows: lsh.rows,
      a: perms.a.map(String),
      b: perms.b.map(String),
      arithmetics: ['datasketch', 'exact'],
    });

    // Ours: the app's code on the app's inputs. Every function is equal in the representative's
    // preferences (runs on its own, examples, prose), so the first in order is kept, as the baseline does.
    const inputs: DedupInput[] = items.map((item, i) => ({
      hash: item.hash,
      shingles: sets[i]!,
      standalone: true,
      examples: 0,
      hasProse: false,
    }));
    // Ours then native, `reps` times: on a shared machine the load drifts, and a ratio is best taken
    // between runs next to each other.
    const runs: { ours: Side; native: Side[] }[] = [];
    let versions = '';
    for (let rep = 0; rep < reps; rep++) {
      const ours = runOurs(inputs, threshold, numPerm);
      const native = await runNative(dir);
      versions = native.versions;
      runs.push({ ours, native: native.sides });
    }
    const last = runs.at(-1)!;
    const oursSide: Side = { ...last.ours, seconds: median(runs.map((r) => r.ours.seconds)) };
    const nativeSides = last.native.map((side, k) => ({
      ...side,
      seconds: median(runs.map((r) => r.native[k]!.seconds)),
    }));

    const planted = items.filter((item) => item.kind !== null).length;
    const near = items.flatMap((item, i) => (item.kind !== null && item.kind !== 'exact' ? [i] : []));
    console.log(
      `\n${fmt(items.length)} functions: ${fmt(originals.length)} of the CPython ${corpus.python} standard library ` +
        `(${fmt(corpus.files)} files), ${fmt(planted)} planted copies (${fmt(planted - near.length)} exact, ` +
        `${fmt(near.length)} near: a line repeated, a token changed, or both)`,
    );
    console.log(
      `${fmt(totalShingles)} shingles (distinct token 5-grams per function; made in ${secs(shingleMs / 1000)}, not timed)`,
    );
    console.log(
      `parameters: ${numPerm} permutations, LSH ${lsh.bands} bands x ${lsh.rows} rows, Jaccard threshold ${threshold}`,
    );
    console.log(
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
        `load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end; ${versions}\n`,
    );
    const width = Math.max(...[oursSide, ...nativeSides].map((s) => s.name.length));
    for (const side of [oursSide, ...nativeSides]) {
      const { clusters, copies } = clusterCounts(side.reps);
      const agree = side === oursSide ? '' : `; ${agreement(side.reps, oursSide.reps)}`;
      console.log(
        `${side.name.padEnd(width)}  ${secs(side.seconds).padStart(7)}  (${side.detail}; ` +
          `${fmt(clusters)} clusters, ${fmt(copies)} copies${agree})`,
      );
    }
    console.log('');
    if (reps > 1) console.log(`times: the median of ${reps} runs (in brackets: the last run's details)`);
    if (reps > 1)
      for (const [k, side] of [oursSide, ...nativeSides].entries())
        console.log(
          `${side.short} per run: ${runs.map((r) => secs((k === 0 ? r.ours : r.native[k - 1]!).seconds)).join(', ')}`,
        );
    for (const [k, side] of nativeSides.entries()) {
      const ratios = runs.map((r) => r.ours.seconds / r.native[k]!.seconds);
      const each = reps > 1 ? ` (median of the runs' ratios: ${ratios.map((x) => x.toFixed(2)).join(', ')})` : '';
      console.log(`ratio ours / ${side.short}: ${median(ratios).toFixed(2)}x${each}`);
    }
    console.log('');
    printPlanted(items, sets, threshold, [oursSide, ...nativeSides]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline's input: shingles (concatenated), offsets, exact groups, parameters. Returns the shingle count. */
function writeInput(dir: string, items: readonly Item[], sets: readonly Uint32Array[], params: object): number {
  const offsets = new Uint32Array(items.length + 1);
  let total = 0;
  sets.forEach((set, i) => (offsets[i + 1] = total += set.length));
  if (total >= 2 ** 32) throw new Error('too many shingles for 32-bit offsets');
  const flat = new Uint32Array(total);
  sets.forEach((set, i) => flat.set(set, offsets[i]!));
  // The exact layer's groups, as the index of the first function with the same hash: one input for both.
  const firstOf = new Map<string, number>();
  const groups = new Int32Array(items.length).map((_, i) => {
    const first = firstOf.get(items[i]!.hash);
    if (first === undefined) firstOf.set(items[i]!.hash, i);
    return first ?? i;
  });
  writeFileSync(join(dir, 'shingles.u32'), flat);
  writeFileSync(join(dir, 'offsets.u32'), offsets);
  writeFileSync(join(dir, 'groups.i32'), groups);
  writeFileSync(join(dir, 'params.json'), JSON.stringify(params));
  return total;
}

/** The app's code on the app's inputs: one timed call of layeredDedup. */
function runOurs(inputs: readonly DedupInput[], threshold: number, numPerm: number): Side {
  const started = performance.now();
  const ours = layeredDedup(inputs, { threshold, numPerm });
  return {
    name: `ours: src/core/dedup, Node ${process.version}`,
    short: 'ours',
    seconds: (performance.now() - started) / 1000,
    detail: `signed ${fmt(ours.stats.signed)}, compared ${fmt(ours.stats.compared)} candidate pairs`,
    reps: new Int32Array(inputs.length).map((_, i) => {
      const place = ours.placements[i];
      return place?.role === 'duplicate' ? place.of : i;
    }),
  };
}

/** One run of the baseline, both arithmetics, on the input in `dir`. */
async function runNative(dir: string): Promise<{ sides: Side[]; versions: string }> {
  const stats = (await python3(join(here, 'dedup_native.py'), [dir]))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as NativeStats);
  const versions = `python3 ${stats[0]?.python}, NumPy ${stats[0]?.numpy}`;
  const sides = stats.map((stats): Side => {
    return {
      name: `native, ${stats.arithmetic === 'datasketch' ? "datasketch's uint64 arithmetic" : 'exact mod-p arithmetic, as ours'}`,
      short: `native (${stats.arithmetic})`,
      seconds: stats.totalSeconds,
      detail:
        `MinHash ${secs(stats.minhashSeconds)} + LSH ${secs(stats.lshSeconds)}; ` +
        `signed ${fmt(stats.signed)}, compared ${fmt(stats.candidatePairs)} candidate pairs`,
      reps: new Int32Array(readFileSync(join(dir, `reps-${stats.arithmetic}.i32`)).buffer.slice(0)),
    };
  });
  return { sides, versions };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function clusterCounts(reps: Int32Array): { clusters: number; copies: number } {
  const kept = new Set<number>();
  let copies = 0;
  reps.forEach((rep, i) => {
    if (rep === i) return;
    copies += 1;
    kept.add(rep);
  });
  return { clusters: kept.size, copies };
}

function agreement(reps: Int32Array, ours: Int32Array): string {
  const differ = reps.filter((rep, i) => rep !== ours[i]).length;
  return differ === 0 ? 'the same clusters as ours' : `${fmt(differ)} functions placed otherwise than by ours`;
}

/** Where the planted copies landed: with their original (the same representative) or not. */
function printPlanted(items: readonly Item[], sets: readonly Uint32Array[], threshold: number, sides: Side[]): void {
  const of = (kind: (k: Item['kind']) => boolean): number[] => items.flatMap((item, i) => (kind(item.kind) ? [i] : []));
  const exact = of((k) => k === 'exact');
  const near = of((k) => k !== null && k !== 'exact');
  const reachable = near.filter((i) => exactJaccard(sets[i]!, sets[items[i]!.plantedFrom!]!) >= threshold);
  const together = (reps: Int32Array, list: number[]): string =>
    fmt(list.filter((i) => reps[i] === reps[items[i]!.plantedFrom!]).length);
  console.log(
    `planted exact copies with their original, of ${fmt(exact.length)}: ` +
      sides.map((s) => `${s.short} ${together(s.reps, exact)}`).join(', '),
  );
  console.log(
    `planted near copies with their original, of ${fmt(near.length)} (${fmt(reachable.length)} at exact Jaccard ≥ ${threshold}): ` +
      sides
        .map(
          (s) =>
            `${s.short} ${together(s.reps, near)} (${together(s.reps, reachable)} of the ${fmt(reachable.length)})`,
        )
        .join(', '),
  );
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function secs(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}

await main();
