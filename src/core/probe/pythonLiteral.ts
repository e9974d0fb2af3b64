/**
 * JSON values as Python literal text, for models that wrote an argument as JSON (`3`, `[1, 2]`, `true`)
 * instead of the asked-for string holding a literal. The conversion is faithful to JSON's meaning: numbers
 * keep their text, true/false/null become True/False/None, arrays lists, objects dicts, and strings nested
 * inside them string literals (JSON's escapes are valid in Python string literals).
 */
import type { Json } from './lenientJson.ts';

export function pythonLiteral(value: Json): string {
  switch (value.t) {
    case 'string':
      return JSON.stringify(value.v);
    case 'number':
    case 'python':
      return value.raw;
    case 'bool':
      return value.v ? 'True' : 'False';
    case 'null':
      return 'None';
    case 'array':
      return `[${value.items.map(pythonLiteral).join(', ')}]`;
    case 'object':
      return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
  }
}

/** The literal with whitespace outside string literals removed: "[1, 2]" and "[1,2]" are one case. */
export function literalKey(literal: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < literal.length; i++) {
    const c = literal[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += literal[++i] ?? '';
      else if (literal.startsWith(quote, i)) {
        out += quote.slice(1);
        i += quote.length - 1;
        quote = null;
      }
    } else if (c === '"' || c === "'") {
      quote = literal.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      out += quote;
      i += quote.length - 1;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}
