/**
 * The dedup bench's corpus (bench/dedup.ts): every function of this python3's standard library, normalised
 * by the app's harness (bench/dedup_corpus.py), then planted copies of them up to the count asked for,
 * made on their normalised tokens: exact copies (what a renamed, reformatted copy normalises to), a line
 * repeated, a token changed, or both. Deterministic: the same python3 gives the same corpus.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitmix32 } from '../src/core/dedup/permutations.ts';
import { python3 } from './python3.ts';

const here = dirname(fileURLToPath(import.meta.url));

type CorpusFunction = { name: string; hash: string; tokens: string[] };
export type Corpus = { python: string; stdlib: string; files: number; unparsed: number; functions: CorpusFunction[] };
export type PlantKind = 'exact' | 'line' | 'token' | 'line+token';
/** A function of the bench: an original (plantedFrom null) or a planted copy of the original at that index. */
export type Item = { hash: string; tokens: string[]; plantedFrom: number | null; kind: PlantKind | null };

/** The standard library's functions, normalised; cached per python3 and normaliser version. */
export async function stdlibCorpus(fresh: boolean): Promise<Corpus> {
  const normaliser = readFileSync(join(here, '../workers/python/harness/semiverse_normalise.py'));
  const version = (await python3('-c', ['import sys; print(sys.version.split()[0])'])).trim();
  const key = createHash('sha256').update(normaliser).update(version).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'semiverse-bench-dedup');
  const file = join(dir, `stdlib-${version}-${key}.json`);
  if (fresh || !existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    console.log(`normalising the standard library of python3 ${version} (once; cached in ${file})…`);
    await python3(join(here, 'dedup_corpus.py'), [file]);
    console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Corpus;
}

/**
 * The originals, then planted copies of originals with at least 20 tokens up to `count`, each kind in
 * turn. A repeated line is one of the function's own lines (NEWLINE to NEWLINE) inserted after another; a
 * changed token is a name or literal replaced by another one of the function's.
 */
export function withPlantedCopies(originals: readonly CorpusFunction[], count: number): Item[] {
  const items: Item[] = originals.map((f) => ({ hash: f.hash, tokens: f.tokens, plantedFrom: null, kind: null }));
  const long = originals.flatMap((f, i) => (f.tokens.length >= 20 ? [i] : []));
  const kinds: PlantKind[] = ['exact', 'line', 'token', 'line+token'];
  const next = splitmix32(20_261_201);
  const pick = (n: number): number => next() % n;
  for (let k = 0; items.length < count; k++) {
    const from = long[pick(long.length)]!;
    const kind = kinds[k % kinds.length]!;
    let tokens = originals[from]!.tokens;
    if (kind === 'line' || kind === 'line+token') tokens = repeatLine(tokens, pick);
    if (kind === 'token' || kind === 'line+token') tokens = changeToken(tokens, pick);
    const hash = kind === 'exact' ? originals[from]!.hash : `${originals[from]!.hash}~${items.length}`;
    items.push({ hash, tokens, plantedFrom: from, kind });
  }
  return items;
}

function repeatLine(tokens: readonly string[], pick: (n: number) => number): string[] {
  const ends = tokens.flatMap((t, i) => (t === '\n' ? [i] : []));
  if (ends.length < 3) return [...tokens, ...tokens.slice(0, Math.min(6, tokens.length))];
  const line = 1 + pick(ends.length - 2); // not the `def` line
  const start = ends[line - 1]! + 1;
  const copied = tokens.slice(start, ends[line]! + 1).filter((t) => t !== '\t' && t !== '\b');
  const at = ends[1 + pick(ends.length - 2)]! + 1;
  return [...tokens.slice(0, at), ...copied, ...tokens.slice(at)];
}

function changeToken(tokens: readonly string[], pick: (n: number) => number): string[] {
  const changeable = tokens.flatMap((t, i) => (/^[\w$'"]/.test(t) && i > 2 ? [i] : []));
  if (changeable.length < 2) return [...tokens, 'pass'];
  const at = changeable[pick(changeable.length)]!;
  const others = changeable.map((i) => tokens[i]!).filter((t) => t !== tokens[at]);
  const out = [...tokens];
  out[at] = others.length > 0 ? others[pick(others.length)]! : `${tokens[at]}_`;
  return out;
}

export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
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
