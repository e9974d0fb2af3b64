import { describe, expect, it } from 'vitest';
import { arityOf, type Arity } from './arityOf.ts';

const arity = (min: number, max: number | null, names: string[], requiredKeywordOnly: string[] = []): Arity => ({
  min,
  max,
  names,
  requiredKeywordOnly,
});

describe('arityOf', () => {
  it.each([
    ['def f()', arity(0, 0, [])],
    ['def f(a, b=1, *args, c, **kw) -> int:', arity(1, null, ['a', 'b'], ['c'])],
    ['def f(a, b=1, *, c=2, d)', arity(1, 2, ['a', 'b'], ['d'])],
    ['async def fetch(url: str, timeout: float = 1.0)', arity(1, 2, ['url', 'timeout'])],
    ['def first[T](xs: list[T], default: T | None = None) -> T', arity(1, 2, ['xs', 'default'])],
    ['def f[K, V: (int, str)](m: dict[K, V], k: K)', arity(2, 2, ['m', 'k'])],
    ['def f(a, b, /, c, d=4)', arity(3, 4, ['a', 'b', 'c', 'd'])],
    ["def f(sep: str = ', ', pairs: dict[str, tuple[int, int]] = {'a,b': (1, 2)})", arity(0, 2, ['sep', 'pairs'])],
    ["def f(x: 'Callable[[int, str], bool]', y='(')", arity(1, 2, ['x', 'y'])],
    ['def f(key=lambda a, b: a + b, reverse=False)', arity(0, 2, ['key', 'reverse'])],
    ['def f(cb: Callable[[int], int] = lambda x: x, n=3)', arity(0, 2, ['cb', 'n'])],
    ['def f(\n    a,  # the first\n    b: int = 0,\n) -> None:', arity(1, 2, ['a', 'b'])],
    ['def f(*args)', arity(0, null, [])],
    ['def f(**kwargs)', arity(0, 0, [])],
    ['def f(a, *, b)', arity(1, 1, ['a'], ['b'])],
  ])('%s', (signature, expected) => {
    expect(arityOf(signature)).toEqual(expected);
  });

  it('drops self or cls for a method when asked, and only a first parameter so named', () => {
    expect(arityOf('def area(self, scale=1)', { method: true })).toEqual(arity(0, 1, ['scale']));
    expect(arityOf('def build(cls, *parts)', { method: true })).toEqual(arity(0, null, []));
    expect(arityOf('def add(x, y)', { method: true })).toEqual(arity(2, 2, ['x', 'y']));
    expect(arityOf('def area(self, scale=1)')).toEqual(arity(1, 2, ['self', 'scale']));
  });

  it('is null when there is no complete def', () => {
    expect(arityOf('lambda x: x')).toBeNull();
    expect(arityOf('def f(a, b')).toBeNull();
    expect(arityOf('')).toBeNull();
  });
});
