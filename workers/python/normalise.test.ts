/**
 * The dedup normaliser (harness/semiverse_normalise.py) through the real runner in Node: what makes two
 * functions one (renamed names, formatting, comments, docstrings, annotations) and what keeps them apart
 * (a constant, an operator, an attribute, a builtin, a called global, a keyword argument).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toNormaliseReply } from '../../src/adapters/python/settle.ts';
import type { NormaliseReply, NormalisedFunction } from '../../src/domain/dataset.ts';
import { nodeRunner } from '../../test/builders/pyodideRunner.ts';
import type { Runner } from './runner.ts';

let runner: Runner;

beforeAll(async () => {
  runner = await nodeRunner();
});

function normaliseFile(text: string, linenos: number[]): NormaliseReply {
  return toNormaliseReply(runner.normalise({ text, linenos }), linenos.length);
}

/** Every top-level function of `source` (one per `def` at column 0), normalised. */
function normalised(source: string): NormalisedFunction[] {
  const lines = source.split('\n');
  const linenos = lines.flatMap((line, i) => (/^(async )?def /.test(line) ? [i + 1] : []));
  const reply = normaliseFile(source, linenos);
  if (!reply.ok) throw new Error(reply.error);
  return reply.functions.map((f, i) => {
    if (!f) throw new Error(`no function at line ${linenos[i]}`);
    return f;
  });
}

const hashes = (source: string): string[] => normalised(source).map((f) => f.hash);

const ORIGINAL = `
def moving_average(values, window=3):
    """Average of each run of \`window\` values.

    >>> moving_average([1, 2, 3, 4], 2)
    [1.5, 2.5, 3.5]
    """
    result = []
    total = sum(values[:window])
    result.append(total / window)
    for i in range(window, len(values)):
        total += values[i] - values[i - window]  # slide the window
        result.append(total / window)
    return result
`;

/** The same function by someone else: other names, formatting, comments, docstring and annotations. */
const RENAMED = `
def running_mean(xs: list[float], k: int = 3) -> list[float]:
    # no docstring here, a comment instead
    out = [ ]
    acc = sum(
        xs[:k]
    )
    out.append(acc / k)
    for j in range(k, len(xs)):
        acc += xs[
            j
        ] - xs[j - k]
        out.append(acc / k)
    return out
`;

describe('the exact layer: a hash of the normalised AST', () => {
  it('is the same for a copy with renamed names, reformatted, other comments, docstring and annotations', () => {
    const [a] = hashes(ORIGINAL);
    const [b] = hashes(RENAMED);
    expect(b).toBe(a);
  });

  it('ignores a docstring however it is written, and a body that was only a docstring', () => {
    const [a, b, c] = hashes(
      [
        'def f(x):',
        '    "one"',
        '    return x',
        'def g(y):',
        "    '''another, longer",
        "    docstring'''",
        '    return y',
        'def h(z):',
        '    return z',
      ].join('\n'),
    );
    expect(b).toBe(a);
    expect(c).toBe(a);
    const [d, e] = hashes(['def f():', '    "only a docstring"', 'def g():', '    pass'].join('\n'));
    expect(d).toBe(e);
  });

  it.each([
    ['a constant', 'return x + 1', 'return x + 2'],
    ['a constant of another type', 'return x + 1', 'return x + 1.0'],
    ['an operator', 'return x + 1', 'return x - 1'],
    ['a comparison', 'return x < 1', 'return x <= 1'],
    ['an attribute', 'return x.real', 'return x.imag'],
    ['a builtin', 'return len(x)', 'return sum(x)'],
    ['a called global', 'return math.sqrt(x)', 'return cmath.sqrt(x)'],
    ['a keyword argument', 'return sorted(x, key=abs)', 'return sorted(x, reverse=abs)'],
    ['the order of arguments', 'return pow(x, 2)', 'return pow(2, x)'],
    ['a string', "return x + 'a'", "return x + 'b'"],
  ])('differs when %s differs', (_what, one, other) => {
    const [a, b] = hashes(`def f(x):\n    ${one}\n\ndef f(x):\n    ${other}\n`);
    expect(a).not.toBe(b);
  });

  it('tells a local from a global of the same name (a copy must bind the same names)', () => {
    // In `g`, `total` is a global it reads; in `f` a local it binds. Renaming one is not renaming the other.
    const [f, g] = hashes(
      ['def f(x):', '    total = 0', '    return x + total', 'def g(x):', '    return x + total'].join('\n'),
    );
    expect(f).not.toBe(g);
  });

  it('keeps a local that shadows a builtin apart from the builtin', () => {
    const [a, b] = hashes(['def f(x, len):', '    return len(x)', 'def g(x, n):', '    return len(x)'].join('\n'));
    expect(a).not.toBe(b);
  });

  it('renames consistently: swapping two names is not a copy', () => {
    const [a, b] = hashes(['def f(a, b):', '    return a - b', 'def g(a, b):', '    return b - a'].join('\n'));
    expect(a).not.toBe(b);
  });

  it('finds methods and nested functions by their def line, and says null where there is none', () => {
    const text = [
      'class A:',
      '    """Doc."""',
      '    def m(self, x):',
      '        return self.v + x',
      '',
      'def outer(k):',
      '    def inner(y):',
      '        return y * k',
      '    return inner',
      '',
      'def plain(this, z):',
      '    return this.v + z',
    ].join('\n');
    const reply = normaliseFile(text, [3, 6, 7, 11, 2]);
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const [method, outer, inner, plain, none] = reply.functions;
    expect(method?.hash).toBe(plain?.hash);
    expect(outer?.hash).not.toBe(inner?.hash);
    expect(none).toBeNull();
  });

  it('reports a file that does not parse, and runs none of the code it reads', () => {
    const reply = normaliseFile('def f(:\n    pass\n', [1]);
    expect(reply).toMatchObject({ ok: false });
    const text = 'import sys\nsys.exit(3)\ndef f():\n    raise SystemExit(4)\n';
    expect(normaliseFile(text, [3]).ok).toBe(true);
  });
});

describe('the near layer: the token sequence', () => {
  it('drops comments, docstrings and line breaks inside brackets, and renames bound names in order of use', () => {
    const [a] = normalised(ORIGINAL);
    const [b] = normalised(RENAMED);
    expect(a!.tokens.some((t) => t.includes('slide') || t.includes('Average'))).toBe(false);
    expect(a!.tokens.slice(0, 10)).toEqual(['def', '$0', '(', '$1', ',', '$2', '=', '3', ')', ':']);
    // The annotations are the only difference left.
    const strip = (tokens: string[]) =>
      tokens.join(' ').replace(/ : list \[ float \]| : int| -> list \[ float \]/g, '');
    expect(strip(b!.tokens)).toBe(strip(a!.tokens));
  });

  it('keeps free names, attributes and keyword names, and writes strings one way', () => {
    const [f, g] = normalised(
      [
        'def f(items, key):',
        "    return sorted(items, key=key) + [item.name for item in items] + ['x']",
        'def g(items, key):',
        '    return sorted(items, key=key) + [item.name for item in items] + ["x"]',
      ].join('\n'),
    );
    expect(f!.tokens).toEqual(g!.tokens);
    const text = f!.tokens.join(' ');
    expect(text).toContain('sorted ( $1 , key = $2 )');
    expect(text).toContain('. name for');
    expect(text).toContain("'x'");
  });
});
