/**
 * A plain clone passes: nothing in the suite reads outside the checkout (issue 8). Tests once read the
 * benchmark data from the team's shared folder beside the checkout, so they failed for anyone else.
 * Three checks: the sources name no path outside the repository root; the run-time recorder of
 * test/setup/node.ts (which fails any test file that reads outside) catches such a read and leaves the
 * functions it wraps working as before; the benchmark data is read from data/benchmarks, verified.
 */
import fs, { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchmarkText, humanEval, mbpp } from '../builders/benchmarks.ts';
import { isOutsideCheckout, PLACES, takeOutsideReads, type Places } from '../setup/node.ts';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const rel = (file: string): string => relative(ROOT, file).split(sep).join('/');

const SCANNED_DIRS = ['src', 'workers', 'test', 'bench', 'scripts', '.ci'];
const SCANNED_FILES = ['vite.config.ts', 'package.json'];
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__']);

/** Text that can only mean a place outside: spelled in pieces so that this file does not match itself. */
const NEEDLES = ['..' + '/shared', '/wo' + 'rk/', 'SEMIVERSE_' + 'DATA'];

/** Relative literals resolved against their file: module specifiers, URLs from import.meta.url, globs. */
const RELATIVE_LITERALS = [
  /\bfrom\s*(['"])(\.{1,2}\/[^'"\n]*)\1/g,
  /\bimport\s*\(?\s*(['"])(\.{1,2}\/[^'"\n]*)\1/g,
  /\bnew\s+URL\s*\(\s*(['"`])(\.{1,2}(?:\/[^'"`\n]*)?)\1\s*,\s*import\.meta\.url/g,
  /\bimport\.meta\.glob\s*\(\s*(['"])!?(\.{1,2}\/[^'"\n]*)\1/g,
];

/** An expression for the file's own folder (TypeScript or Python). */
const FOLDER_OF_FILE = /dirname\(.*(?:__file__|import\.meta\.(?:url|filename))|__dirname|import\.meta\.dirname/;

/** Names the file binds to its own folder, e.g. Python's `HERE = os.path.dirname(os.path.abspath(__file__))`. */
function folderNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, value] of source.matchAll(/\b([A-Za-z_$][\w$]*)\s*=\s*([^\n;]*)/g))
    if (name !== undefined && FOLDER_OF_FILE.test(value ?? '')) names.add(name);
  return names;
}

/** Where a join/resolve base points: the file's folder, the file, or the root (the cwd) when unknown. */
function baseOf(expression: string, file: string, folders: Set<string>): string {
  const base = expression.trim();
  if (FOLDER_OF_FILE.test(base) || folders.has(base)) return dirname(file);
  if (/__file__|import\.meta\.filename/.test(base)) return file;
  return ROOT;
}

/** The arguments' source text of the call whose `(` is at `open`, split at its top-level commas. */
function callArguments(source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let start = open + 1;
  for (let i = open; i < source.length; i++) {
    const c = source.charAt(i);
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return [...args, source.slice(start, i)];
    else if (c === ',' && depth === 1) {
      args.push(source.slice(start, i));
      start = i + 1;
    }
  }
  return args;
}

/** Where `join(…)`/`resolve(…)` calls with a '..' segment lead, as [index, target]. */
function joinedTargets(file: string, source: string): [number, string][] {
  const targets: [number, string][] = [];
  const folders = folderNames(source);
  for (const call of source.matchAll(/\b(?:join|resolve)\s*\(/g)) {
    const args = callArguments(source, call.index + call[0].length - 1);
    const literals = args.flatMap((arg) => /^\s*(['"`])([^'"`$]*)\1\s*$/.exec(arg)?.[2] ?? []);
    if (!literals.some((literal) => literal.split('/').includes('..'))) continue;
    targets.push([call.index, resolve(baseOf(args[0] ?? '', file, folders), ...literals)]);
  }
  return targets;
}

const insideRoot = (path: string): boolean => path === ROOT || path.startsWith(ROOT + sep);

/** Each reference in `source` (the text of `file`) to a path outside the root, as `file:line: text`. */
function outsideReferences(file: string, source: string): string[] {
  const hits = new Set<number>();
  for (const needle of NEEDLES)
    for (let at = source.indexOf(needle); at !== -1; at = source.indexOf(needle, at + 1)) hits.add(at);
  for (const pattern of RELATIVE_LITERALS)
    for (const match of source.matchAll(pattern))
      if (!insideRoot(resolve(dirname(file), match[2] ?? ''))) hits.add(match.index);
  for (const [at, target] of joinedTargets(file, source)) if (!insideRoot(target)) hits.add(at);
  const lines = source.split('\n');
  const lineOf = (at: number): number => source.slice(0, at).split('\n').length;
  const numbers = [...new Set([...hits].map(lineOf))].sort((a, b) => a - b);
  return numbers.map((n) => `${rel(file)}:${n}: ${(lines[n - 1] ?? '').trim()}`);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

function scannedFiles(): string[] {
  const files = SCANNED_DIRS.flatMap((dir) => filesUnder(join(ROOT, dir)));
  return [...files, ...SCANNED_FILES.map((file) => join(ROOT, file))];
}

describe('the sources name no place outside the checkout', () => {
  it('finds no needle and no relative path above the root in any source, test, bench, script or config', () => {
    const offenders = scannedFiles().flatMap((file) => {
      const bytes = readFileSync(file);
      return bytes.includes(0) ? [] : outsideReferences(file, bytes.toString('utf8')); // binaries: no paths
    });
    expect(offenders).toEqual([]);
  });

  it('reports planted references with their line, and leaves references inside the root alone', () => {
    const file = join(ROOT, 'test/builders/planted.ts');
    const up = (n: number): string => Array(n).fill("'..'").join(', ');
    const planted = [
      ...NEEDLES.map((needle) => `const a = '${needle}/x';`),
      `const b = new URL('${'../'.repeat(3)}elsewhere/', import.meta.url);`,
      `const c = join(__dirname, ${up(3)}, 'elsewhere');`,
      `import d from '${'../'.repeat(3)}elsewhere/d.ts';`,
      `const e = resolve(ROOT, ${up(1)}, 'elsewhere');`,
      `sys.path.insert(0, os.path.join(HERE, ${up(3)}, "elsewhere"))`,
      `const ok1 = new URL('../../data/benchmarks/', import.meta.url);`,
      `const ok2 = join(__dirname, ${up(2)}, 'data');`,
      `import ok3 from '../fakes/x.ts';`,
      `const ok4 = join(tmpdir(), 'x');`,
      'HERE = os.path.dirname(os.path.abspath(__file__))',
      `sys.path.insert(0, os.path.join(HERE, ${up(2)}, "workers"))`,
    ].join('\n');
    expect(outsideReferences(file, planted)).toEqual(
      planted
        .split('\n')
        .slice(0, 8)
        .map((line, i) => `test/builders/planted.ts:${i + 1}: ${line}`),
    );
  });
});

describe('the run-time recorder (test/setup/node.ts)', () => {
  it('counts the parent folder and the home, not the checkout, its ancestors, the temp folder or the system', () => {
    const places: Places = { checkouts: ['/w/app'], parent: '/w', home: '/h', temp: '/w/tmp' };
    const outside = ['/w/shared/data/HumanEval.jsonl', '/w/app2/x', '/h/.cache/x'];
    const inside = ['/w/app', '/w/app/data/benchmarks/x', '/w', '/', '/w/tmp/x', '/usr/lib/x', '/etc/os-release'];
    expect(outside.filter((path) => !isOutsideCheckout(path, places))).toEqual([]);
    expect(inside.filter((path) => isOutsideCheckout(path, places))).toEqual([]);
    // The incident itself, against this checkout.
    expect(isOutsideCheckout(join(PLACES.parent, 'shared', 'data', 'HumanEval.jsonl'))).toBe(true);
    // A clone inside a temp folder (as CI may make): beside it is still outside, other temp folders are not.
    const cloned: Places = { checkouts: ['/tmp/ci/app'], parent: '/tmp/ci', home: '/h', temp: '/tmp' };
    expect(isOutsideCheckout('/tmp/ci/shared/data/x', cloned)).toBe(true);
    expect(isOutsideCheckout('/tmp/semiverse-run-1/x', cloned)).toBe(false);
  });

  it('records a read in the parent folder through named imports, and no probe that finds nothing', async () => {
    const absent = join(PLACES.parent, `semiverse-absent-${process.pid}`);
    expect(existsSync(absent)).toBe(false);
    expect(statSync(absent, { throwIfNoEntry: false })).toBeUndefined();
    expect(() => readFileSync(absent)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    await expect(readFile(absent)).rejects.toMatchObject({ code: 'ENOENT' });
    const reads = takeOutsideReads(); // taken, so this file's own check after all tests stays clean
    expect(reads).toEqual([
      expect.stringMatching(/^\S+ \(fs\.readFileSync, .*checkoutOnly\.test\.ts:\d+/),
      expect.stringMatching(/^\S+ \(fs\.promises\.readFile, .*checkoutOnly\.test\.ts:\d+/),
    ]);
    expect(reads.every((read) => read.startsWith(`${absent} `))).toBe(true);
  });

  it('leaves the wrapped functions working as before', async () => {
    const sums = fileURLToPath(new URL('../../data/benchmarks/SHA256SUMS', import.meta.url));
    const text = readFileSync(sums, 'utf8');
    expect(readFileSync).toBe(fs.readFileSync);
    expect(readFile).toBe(fs.promises.readFile);
    expect(fs.readFileSync.name).toBe('readFileSync');
    expect(typeof fs.realpathSync.native).toBe('function');
    expect(readFileSync(pathToFileURL(sums)).toString()).toBe(text);
    expect(readFileSync(Buffer.from(sums), 'utf8')).toBe(text);
    const fd = fs.openSync(sums, 'r');
    expect(readFileSync(fd, 'utf8')).toBe(text);
    fs.closeSync(fd);
    expect(await promisify(fs.readFile)(sums, 'utf8')).toBe(text);
    const viaCallback = await new Promise<Buffer>((done, fail) =>
      fs.readFile(sums, (error, data) => (error ? fail(error) : done(data))),
    );
    expect(viaCallback.toString()).toBe(text);
    const streamed: Buffer[] = [];
    for await (const chunk of fs.createReadStream(sums)) streamed.push(chunk as Buffer);
    expect(Buffer.concat(streamed).toString()).toBe(text);
    const opened = await new Promise<number>((done, fail) =>
      fs.open(sums, 'r', (error, handle) => (error ? fail(error) : done(handle))),
    );
    fs.closeSync(opened);
    const handle = await fs.promises.open(sums, 'r');
    expect(await handle.readFile('utf8')).toBe(text);
    await handle.close();
    const dir = dirname(sums);
    expect(
      readdirSync(dir, { withFileTypes: true })
        .find((e) => e.name === 'SHA256SUMS')
        ?.isFile(),
    ).toBe(true);
    expect(await fs.promises.readdir(dir)).toContain('SHA256SUMS');
    expect((await fs.promises.stat(dir)).isDirectory()).toBe(true);
    expect(() => statSync(join(dir, 'absent'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    await expect(fs.promises.stat(join(dir, 'absent'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(takeOutsideReads()).toEqual([]);
  });
});

describe('the benchmark data (data/benchmarks)', () => {
  it('holds HumanEval and MBPP, each matching SHA256SUMS', () => {
    expect(humanEval()).toHaveLength(164);
    expect(mbpp()).toHaveLength(427);
  });

  it('refuses a changed copy, naming the file', async () => {
    const source = fileURLToPath(new URL('../../data/benchmarks/', import.meta.url));
    const dir = await mkdtemp(join(tmpdir(), 'semiverse-benchmarks-'));
    try {
      await copyFile(join(source, 'SHA256SUMS'), join(dir, 'SHA256SUMS'));
      const original = await readFile(join(source, 'HumanEval.jsonl'), 'utf8');
      await writeFile(join(dir, 'HumanEval.jsonl'), original.replaceAll('\n', '\r\n'));
      const url = pathToFileURL(dir + sep);
      expect(() => benchmarkText('HumanEval.jsonl', url)).toThrow(/HumanEval\.jsonl: sha256 is [0-9a-f]{64} but/);
      expect(() => benchmarkText('extra.jsonl', url)).toThrow(/extra\.jsonl has no line in .*SHA256SUMS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
