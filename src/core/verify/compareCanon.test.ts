/**
 * Canonical outputs from real Python (the harness in Node through the pyodide package) and the comparator
 * the verify stage uses on them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toCallResult } from '../../adapters/python/settle.ts';
import type { Canon } from '../../domain/run.ts';
import type { Runner } from '../../../workers/python/runner.ts';
import { nodeRunner } from '../../../test/builders/pyodideRunner.ts';
import { sameValue } from './compareCanon.ts';

let runner: Runner;
beforeAll(async () => {
  runner = await nodeRunner();
});

function value(expression: string, program = ''): { tree: Canon; text: string } {
  const result = toCallResult(runner.runCall({ program, expression }), 10_000);
  if (result.kind !== 'ok') throw new Error(`${expression}: ${JSON.stringify(result)}`);
  return { tree: result.value, text: result.text };
}

const same = (a: string, b: string, program = '') => sameValue(value(a, program).tree, value(b, program).tree);

describe('canonical form', () => {
  it('orders sets and dict keys, so equal values print the same whatever the insertion order', () => {
    expect(value('{3, 1, 2}').text).toBe(value('{1, 2, 3}').text);
    expect(value("{'b': 1, 'a': 2}").text).toBe(value("{'a': 2, 'b': 1}").text);
    expect(value('frozenset({(1, 2), (0, 5)})').text).toBe(value('frozenset({(0, 5), (1, 2)})').text);
  });

  it('keeps what JSON and repr lose: tuples vs lists, int vs float vs bool, big ints, NaN and -0.0', () => {
    expect(value('(1, 2)').text).not.toBe(value('[1, 2]').text);
    expect(value('1').text).not.toBe(value('1.0').text);
    expect(value('1').text).not.toBe(value('True').text);
    expect(value('2 ** 100').tree).toEqual({ t: 'int', v: '1267650600228229401496703205376' });
    expect(value("float('nan')").tree).toEqual({ t: 'float', v: 'nan' });
    expect(value('-0.0').tree).toEqual({ t: 'float', v: '-0.0' });
  });

  it('caps recursive structures and huge values instead of failing', () => {
    expect(value('a', 'a = [1]\na.append(a)').tree).toEqual({ t: 'list', v: [{ t: 'int', v: '1' }, { t: 'cycle' }] });
    const big = value("'x' * 200_000").tree;
    expect(big).toMatchObject({ t: 'str', cut: 200_000 });
    expect((big['v'] as string).length).toBe(100_000);
    const many = value('list(range(20_000))').tree;
    expect((many['v'] as Canon[]).at(-1)).toEqual({ t: 'more', n: 10_000 });
  });

  it('describes objects by type and fields, without memory addresses', () => {
    const program = 'class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y';
    expect(value('Point(1, 2)', program).tree).toEqual({
      t: 'obj',
      type: 'Point',
      fields: { x: { t: 'int', v: '1' }, y: { t: 'int', v: '2' } },
    });
    expect(value('object()').tree).toEqual({ t: 'obj', type: 'object', v: '<object object>' });
  });
});

describe('the comparator', () => {
  it('compares floats with a tolerance, and treats NaN as NaN and -0.0 as 0.0', () => {
    expect(same('0.1 + 0.2', '0.3')).toBe(true);
    expect(same('1e-13', '0.0')).toBe(true);
    expect(same('0.1', '0.1001')).toBe(false);
    expect(same("float('nan')", "float('nan')")).toBe(true);
    expect(same('-0.0', '0.0')).toBe(true);
    expect(same("float('inf')", "float('-inf')")).toBe(false);
    expect(same('[0.1 + 0.2, (1e9 + 0.0000001,)]', '[0.3, (1e9,)]')).toBe(true);
  });

  it('never equates different kinds or shapes', () => {
    expect(same('(1, 2)', '[1, 2]')).toBe(false);
    expect(same('1', '1.0')).toBe(false);
    expect(same('True', '1')).toBe(false);
    expect(same('{1: 2}', '{1: 3}')).toBe(false);
    expect(same("{'a'}", "frozenset({'a'})")).toBe(false);
    expect(same('[1, 2]', '[1, 2, 3]')).toBe(false);
  });

  it('agrees on equal values built differently', () => {
    expect(same("{'b': [1, {2, 3}], 'a': (None,)}", 'dict(a=(None,), b=[1, {3, 2}])')).toBe(true);
    expect(
      same('collections.Counter("abca")', 'collections.Counter({"a": 2, "b": 1, "c": 1})', 'import collections'),
    ).toBe(true);
  });
});
