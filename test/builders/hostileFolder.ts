/**
 * A folder built to break a naive pipeline: endless and uninterruptible doctests, a 5 MB file, binary and
 * latin-1 "Python", syntax errors, parser-breaking nesting, 5,000 files, and every kind of folder ingest must
 * skip. The manifest says, per path, what a correct pipeline reports, so end-to-end tests assert against
 * data instead of re-deriving it. Every path the walker will emit has exactly one entry.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SkipReason } from '../../src/domain/ingest.ts';

export type HostileExpectation =
  /** Ingest skips it (a folder: one entry, never entered). */
  | { expect: `skip:${SkipReason}`; isDir: boolean }
  /** Accepted by ingest; every named function's doctests pass. */
  | { expect: 'doctests_pass'; functions: string[] }
  /** Accepted by ingest; extract reports this error at this 1-based line. */
  | { expect: 'syntax_error'; error: 'SyntaxError' | 'IndentationError' | 'TabError'; line: number }
  /** Accepted and extracted; running this function's doctest never finishes, so the runner must time out. */
  | { expect: 'timeout'; function: string };

export type HostileEntry = { path: string } & HostileExpectation;

export type HostileManifest = {
  entries: HostileEntry[];
  /** Paths ingest accepts (every entry whose expectation is not a skip). */
  acceptedCount: number;
  skippedCount: number;
};

/** Enough files to show list batching, progress and throughput problems; small enough to write in < 1 s. */
export const MANY_FILES = 5000;
/** CPython's tokenizer stops at 200 nested brackets (MAXLEVEL); 5000 is far past any version's limit. */
const NESTED_PARENS = 5000;
/** Well below the tokenizer's 100 indentation levels (MAXINDENT), so this one must compile. */
const NESTED_IFS = 60;
const HUGE_BYTES = 5 * 1024 * 1024;

export async function writeHostileFolder(dir: string): Promise<HostileManifest> {
  const entries: HostileEntry[] = [];
  const put = async (path: string, content: string | Uint8Array, expectation: HostileExpectation | null) => {
    const full = join(dir, ...path.split('/'));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    if (expectation) entries.push({ path, ...expectation });
  };
  const skippedDir = (path: string, reason: SkipReason) =>
    entries.push({ path, expect: `skip:${reason}`, isDir: true });

  await put('good/ok.py', GOOD, { expect: 'doctests_pass', functions: ['add', 'shout'] });
  await put('loops/forever.py', FOREVER, { expect: 'timeout', function: 'spin' });
  await put('loops/c_call.py', C_CALL, { expect: 'timeout', function: 'big_sum' });
  await put('big/huge.py', hugePython(), { expect: 'skip:too_large', isDir: false });
  await put('binary/blob.py', new Uint8Array([0x23, 0x20, 0x00, 0xff, 0x00, 0x0a, 0x78]), {
    expect: 'skip:binary',
    isDir: false,
  });
  await put('encoding/latin1.py', LATIN1, { expect: 'skip:not_utf8', isDir: false });
  await put('syntax/broken.py', BROKEN, { expect: 'syntax_error', error: 'SyntaxError', line: 5 });
  await put('syntax/tabs.py', TABS, { expect: 'syntax_error', error: 'TabError', line: 4 });
  await put(
    'deep/nested.py',
    `"""Nesting no parser accepts."""\nx = ${'('.repeat(NESTED_PARENS)}1${')'.repeat(NESTED_PARENS)}\n`,
    {
      expect: 'syntax_error',
      error: 'SyntaxError',
      line: 2,
    },
  );
  await put('deep/nested_ok.py', nestedIfs(), { expect: 'doctests_pass', functions: ['deep'] });

  await put('.git/HEAD', 'ref: refs/heads/main\n', null);
  await put('.git/objects/ab/cdef', new Uint8Array([0x78, 0x01, 0x00]), null);
  skippedDir('.git', 'vcs');
  await put('node_modules/x/index.js', 'module.exports = 1;\n', null);
  skippedDir('node_modules', 'node_modules');
  await put('__pycache__/x.cpython-311.pyc', new Uint8Array([0xa7, 0x0d, 0x0d, 0x0a, 0x00]), null);
  skippedDir('__pycache__', 'pycache');
  await put('.venv/pyvenv.cfg', 'home = /usr/bin\n', null);
  skippedDir('.venv', 'virtualenv');
  await put('.gitignore', 'build/\n*.log\n', { expect: 'skip:not_python', isDir: false });
  await put('build/gen.py', 'def gen():\n    return 1\n', null);
  skippedDir('build', 'gitignored');
  await put('run.log', 'started\n', { expect: 'skip:gitignored', isDir: false });

  await writeMany(dir, entries);
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const skippedCount = entries.filter((e) => e.expect.startsWith('skip:')).length;
  return { entries, acceptedCount: entries.length - skippedCount, skippedCount };
}

/** Written in parallel batches: 5,000 sequential writes alone would take most of a second. */
async function writeMany(dir: string, entries: HostileEntry[]): Promise<void> {
  await mkdir(join(dir, 'many'), { recursive: true });
  const names = Array.from({ length: MANY_FILES }, (_, i) => `m${String(i).padStart(4, '0')}.py`);
  for (let i = 0; i < names.length; i += 500) {
    await Promise.all(names.slice(i, i + 500).map((name, j) => writeFile(join(dir, 'many', name), tiny(i + j))));
  }
  for (const [i, name] of names.entries())
    entries.push({ path: `many/${name}`, expect: 'doctests_pass', functions: [`f${i}`] });
}

const tiny = (i: number) =>
  `def f${i}(x):\n    """Add ${i}.\n\n    >>> f${i}(1)\n    ${i + 1}\n    """\n    return x + ${i}\n`;

const GOOD = `def add(a, b):
    """Add two numbers.

    >>> add(2, 3)
    5
    """
    return a + b


def shout(text):
    """Upper-case and exclaim.

    >>> shout("hi")
    'HI!'
    """
    return text.upper() + "!"
`;

const FOREVER = `def spin():
    """Never returns; a runner must interrupt it.

    >>> spin()
    """
    while True:
        pass
`;

// sum over a range runs inside one C call: KeyboardInterrupt is not raised until it returns (hours later),
// so only terminating the worker stops it.
const C_CALL = `def big_sum():
    """Sum of a trillion integers.

    >>> big_sum()
    499999999999500000000000
    """
    return sum(range(10**12))
`;

const LATIN1 = new Uint8Array([
  ...new TextEncoder().encode('# caf'),
  0xe9,
  ...new TextEncoder().encode('\ndef f():\n    return 1\n'),
]);

const BROKEN = `def fine(x):
    return x


def broken(x) return x
    pass
`;

const TABS = 'def f(x):\n    if x:\n        return 1\n\treturn 2\n';

function hugePython(): string {
  const line = 'VALUE_0000000 = 1234567890  # filler line to make a large but valid module\n';
  const count = Math.ceil(HUGE_BYTES / line.length);
  return Array.from({ length: count }, (_, i) => line.replace('0000000', String(i).padStart(7, '0'))).join('');
}

function nestedIfs(): string {
  const lines = ['def deep(x):', '    """Sixty nested ifs.', '', '    >>> deep(1)', "    'deep'", '    """'];
  for (let level = 1; level <= NESTED_IFS; level++) lines.push(`${'    '.repeat(level)}if x > 0:`);
  lines.push(`${'    '.repeat(NESTED_IFS + 1)}return 'deep'`, "    return 'shallow'", '');
  return lines.join('\n');
}
