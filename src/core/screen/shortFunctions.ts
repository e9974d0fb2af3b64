/**
 * Whole functions too short to hold a code n-gram (fewer than CODE_N normalised tokens, such as MBPP/62's
 * `def smallest_num(xs): return min(xs)`): a copy of one shares no 13-gram with anything, yet substring
 * matching catches it. Such a function is hashed whole, names as written (the function's own name
 * included), so only the same function, laid out in any way, matches: renamed, `def f(a): return min(a)`
 * is an idiom any code holds, and is left alone.
 *
 * "Whole" is read from the layout the tokens came from: a function ends at the first token that starts a
 * line, outside brackets, no deeper than its `def`; a `def` whose body goes on is not a short function.
 */
import { codeGrams } from './ngrams.ts';
import type { CodeToken } from './normalise.ts';

/** A short whole function: the index of its `def` (or `async`) token and its length in tokens. */
export type ShortFunction = { first: number; length: number; hash: number };

const OPENERS: ReadonlySet<string> = new Set(['(', '[', '{']);
const CLOSERS: ReadonlySet<string> = new Set([')', ']', '}']);

/** Every function of `text` (tokens of it, normalise.ts) shorter than `max` tokens, with its hash. */
export function shortFunctions(tokens: readonly CodeToken[], text: string, max: number): ShortFunction[] {
  const found: ShortFunction[] = [];
  tokens.forEach((token, i) => {
    if (token.key !== 'def') return;
    const first = tokens[i - 1]?.key === 'async' ? i - 1 : i;
    const indent = lineIndent(text, tokens[first]!.start);
    if (indent === null) return;
    let depth = 0;
    let end = tokens.length;
    for (let j = i + 1; j < tokens.length && j - first < max; j++) {
      const key = tokens[j]!.key;
      if (depth === 0) {
        const at = lineIndent(text, tokens[j]!.start);
        if (at !== null && at <= indent) {
          end = j;
          break;
        }
      }
      if (OPENERS.has(key)) depth++;
      else if (CLOSERS.has(key)) depth = Math.max(0, depth - 1);
    }
    const length = end - first;
    if (length >= max) return;
    found.push({ first, length, hash: codeGrams(tokens.slice(first, end), length, false)[0]! });
  });
  return found;
}

/** The indentation of the line `at` lies on when it is the line's first token, else null. */
function lineIndent(text: string, at: number): number | null {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  return /^[ \t]*$/.test(before) ? before.replace(/\t/g, '        ').length : null;
}
