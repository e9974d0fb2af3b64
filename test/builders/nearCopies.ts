/**
 * A function with a near copy: `clampSource('clamp', ['x', 'lo', 'hi'], 'empty range')` and the same with
 * other names and another error message (`['value', 'low', 'high']`, 'low > high') have different normalised
 * ASTs and token 5-grams about 0.8 alike: a near copy at dedup's Jaccard threshold 0.7, none at 0.9.
 */
export function clampSource(name: string, [x, lo, hi]: [string, string, string], message: string): string {
  return [
    `def ${name}(${x}, ${lo}, ${hi}):`,
    `    """Limit ${x} to the range [${lo}, ${hi}].`,
    '',
    `    >>> ${name}(5, 0, 3)`,
    '    3',
    '    """',
    `    if ${lo} > ${hi}:`,
    `        raise ValueError('${message}')`,
    `    if ${x} < ${lo}:`,
    `        return ${lo}`,
    `    if ${x} > ${hi}:`,
    `        return ${hi}`,
    `    return ${x}`,
    '',
  ].join('\n');
}
