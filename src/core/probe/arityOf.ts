/**
 * How a function can be called positionally, read from its `def` line (as the extractor writes it,
 * `def f(a, b=1, *args, c, **kw) -> int`, or as written in source: `async def`, generics `def f[T](x: T)`,
 * a trailing colon, several lines, comments). Annotations and defaults may hold brackets, commas, `=`,
 * strings and lambdas; only commas at the parameter list's own depth separate parameters.
 */
import { pythonTokens, type PyToken } from '../llmText/pythonTokens.ts';

export type Arity = {
  /** Positional parameters without a default. */
  min: number;
  /** All positional parameters; null with `*args`. */
  max: number | null;
  /** Names of the positional parameters, in order. */
  names: string[];
  /** Keyword-only parameters without a default: a positional call cannot supply them. */
  requiredKeywordOnly: string[];
};

export type ArityOptions = {
  /** Drop a first parameter named `self` or `cls` (a method called through its class or instance). */
  method?: boolean;
};

type Param = { tokens: PyToken[] };

/** The parameters between the parentheses after the name (and after a generic `[...]`), split at depth. */
function params(signature: string): Param[] | null {
  const tokens = pythonTokens(signature).filter((t) => t.kind !== 'comment' && t.kind !== 'newline');
  const def = tokens.findIndex((t) => t.kind === 'name' && t.text === 'def');
  if (def === -1 || tokens[def + 1]?.kind !== 'name') return null;
  let i = def + 2;
  if (tokens[i]?.text === '[') {
    const depth = tokens[i]!.depth;
    i++;
    while (i < tokens.length && !(tokens[i]!.text === ']' && tokens[i]!.depth === depth)) i++;
    i++;
  }
  if (tokens[i]?.text !== '(') return null;
  const depth = tokens[i]!.depth + 1;
  const out: Param[] = [{ tokens: [] }];
  // A lambda default's own parameters (`key=lambda a, b: a`) are separated by commas at the same depth.
  let lambdas = 0;
  for (i++; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.depth === depth - 1 && t.text === ')') return out.filter((p) => p.tokens.length > 0);
    if (t.depth === depth && t.text === 'lambda') lambdas++;
    if (t.depth === depth && t.text === ':' && lambdas > 0) lambdas--;
    if (t.depth === depth && t.text === ',' && lambdas === 0) out.push({ tokens: [] });
    else out.at(-1)!.tokens.push(t);
  }
  return null;
}

/** The arity, or null when `signature` holds no complete `def name(...)`. */
export function arityOf(signature: string, options: ArityOptions = {}): Arity | null {
  const list = params(signature);
  if (list === null) return null;
  const arity: Arity = { min: 0, max: 0, names: [], requiredKeywordOnly: [] };
  let keywordOnly = false;
  let first = true;
  for (const { tokens } of list) {
    const head = tokens[0]!;
    const depth = head.depth;
    const hasDefault = tokens.some((t) => t.depth === depth && t.text === '=');
    if (head.text === '/') continue;
    if (head.text === '**') continue;
    if (head.text === '*') {
      keywordOnly = true;
      if (tokens[1]?.kind === 'name') arity.max = null;
      continue;
    }
    if (head.kind !== 'name') continue;
    if (first && options.method && (head.text === 'self' || head.text === 'cls')) {
      first = false;
      continue;
    }
    first = false;
    if (keywordOnly) {
      if (!hasDefault) arity.requiredKeywordOnly.push(head.text);
      continue;
    }
    arity.names.push(head.text);
    if (arity.max !== null) arity.max++;
    if (!hasDefault) arity.min = arity.names.length;
  }
  return arity;
}
