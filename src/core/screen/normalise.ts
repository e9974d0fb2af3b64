/**
 * Text and code as the decontamination screen compares them: sequences of normalised tokens, each with the
 * span of the original text it came from (so a match can be shown as the text it matched).
 *
 * Code (Python-aware, on the forgiving tokenizer of llmText/pythonTokens):
 * - layout is gone: indentation, blank lines, comments, line continuations, `;`, and a comma before a
 *   closing bracket (reformatting changes none of the tokens);
 * - keywords, builtins (`len`, `range`, `sorted`, `ValueError`…) and attribute names after a dot stay as
 *   written: they carry the algorithm's meaning;
 * - every other name is marked renamable: n-grams number them by first occurrence inside each window
 *   (ngrams.ts), so consistently renamed variables, parameters and functions give the same n-grams while
 *   `a = a + b` and `a = b + c` stay different (collapsing all names to one symbol would make every
 *   `for _ in range(len(_)):`-shaped loop look alike);
 * - strings keep their content, lowercased with whitespace runs collapsed and prefix and quotes dropped
 *   (`'Hello'` = `"hello"`): test data is what makes two test suites the same; collapsing strings to one
 *   symbol would make every `assert f("…") == "…"` alike;
 * - numbers are normalised (`1_000` = `1000`, `1.0` = `1` = `1.00`);
 * - docstrings (a string that is a statement of its own) and comments are prose, not code: they go to the
 *   text channel, so a paraphrased or deleted docstring breaks no code run.
 *
 * Text (instructions, docstrings, comments, MBPP's task text): lowercase words of letters and digits
 * (`has_close_elements` gives three words); punctuation and whitespace are gone.
 */
import { pythonTokens, type PyToken } from '../llmText/pythonTokens.ts';

export type Span = { start: number; end: number };

/** A code token: `key` is its normalised text; `renamable` names are numbered per window instead. */
export type CodeToken = Span & { key: string; renamable: boolean };

/** A word of text, lowercased. */
export type Word = Span & { key: string };

const BUILTINS: ReadonlySet<string> = new Set(
  (
    'abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex ' +
    'delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash ' +
    'help hex id input int isinstance issubclass iter len list locals map max memoryview min next object oct ' +
    'open ord pow print property range repr reversed round set setattr slice sorted staticmethod str sum ' +
    'super tuple type vars zip __import__ __name__ __main__ self cls NotImplemented Ellipsis ' +
    'BaseException Exception ArithmeticError AssertionError AttributeError EOFError ImportError IndexError ' +
    'KeyError LookupError MemoryError NameError NotImplementedError OSError OverflowError RecursionError ' +
    'RuntimeError StopIteration SyntaxError TypeError ValueError ZeroDivisionError ' +
    'List Dict Set Tuple Optional Union Any Callable Iterable Iterator Sequence typing math re collections ' +
    'itertools functools heapq bisect string'
  ).split(' '),
);

const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for ' +
    'from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

const CLOSERS: ReadonlySet<string> = new Set([')', ']', '}']);
const SKIPPED_SPACE = /(?:[ \t\f]|\\\r?\n)*/y;

/** Line endings as the tokenizer sees them: spans index this form of a text. */
export const unixLines = (text: string): string => text.replace(/\r\n?/g, '\n');

/**
 * The code tokens of `text` (line endings already unixLines') and the spans of its prose (docstrings and
 * comments, quotes and `#` left out). Never throws: text that is not valid Python is tokenized as well as
 * the forgiving tokenizer can.
 */
export function codeTokens(text: string): { tokens: CodeToken[]; prose: Span[] } {
  const raw = spannedTokens(text);
  const tokens: CodeToken[] = [];
  const prose: Span[] = [];
  // Neighbours that count, by token: comments never do; newlines do (a docstring stands on its own line).
  const previous = new Int32Array(raw.length);
  const next = new Int32Array(raw.length);
  for (let i = 0, last = -1; i < raw.length; i++) {
    previous[i] = last;
    if (raw[i]!.kind !== 'comment') last = i;
  }
  for (let i = raw.length - 1, last = -1; i >= 0; i--) {
    next[i] = last;
    if (raw[i]!.kind !== 'comment') last = i;
  }
  raw.forEach((token, i) => {
    const { start, end } = token;
    switch (token.kind) {
      case 'newline':
        return;
      case 'comment':
        prose.push({ start: start + 1, end });
        return;
      case 'op': {
        if (token.text === ';' || token.text === '\\') return;
        const after = raw[next[i]!];
        if (token.text === ',' && after && after.kind === 'op' && CLOSERS.has(after.text)) return;
        tokens.push({ key: token.text, renamable: false, start, end });
        return;
      }
      case 'number':
        tokens.push({ key: normaliseNumber(token.text), renamable: false, start, end });
        return;
      case 'string': {
        const before = raw[previous[i]!];
        const after = raw[next[i]!];
        const statement =
          (!before || before.kind === 'newline' || before.text === ';' || before.text === ':') &&
          (!after || after.kind === 'newline' || after.text === ';');
        const body = stringBody(token.text);
        if (statement) prose.push({ start: start + body.offset, end: start + body.offset + body.text.length });
        else tokens.push({ key: `"${body.text.toLowerCase().replace(/\s+/g, ' ')}`, renamable: false, start, end });
        return;
      }
      case 'name': {
        const attribute = tokens[tokens.length - 1]?.key === '.';
        const literal = attribute || KEYWORDS.has(token.text) || BUILTINS.has(token.text);
        tokens.push({ key: token.text, renamable: !literal, start, end });
        return;
      }
    }
  });
  return { tokens, prose };
}

/**
 * The forgiving tokenizer's tokens of `text` (line endings already unixLines'), with where each lies:
 * only spaces, tabs and line continuations lie between tokens.
 */
export function spannedTokens(text: string): (PyToken & Span)[] {
  let pos = 0;
  return pythonTokens(text).map((token) => {
    SKIPPED_SPACE.lastIndex = pos;
    SKIPPED_SPACE.exec(text);
    let start = SKIPPED_SPACE.lastIndex;
    if (!text.startsWith(token.text, start)) start = Math.max(pos, text.indexOf(token.text, pos));
    pos = start + token.text.length;
    return { ...token, start, end: pos };
  });
}

/** A string literal's content: prefix and quotes dropped (an unterminated one runs to its end). */
export function stringBody(literal: string): { text: string; offset: number } {
  const prefix = /^[a-zA-Z]*/.exec(literal)![0].length;
  const rest = literal.slice(prefix);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  const close = rest.length >= 2 * quote.length && rest.endsWith(quote) ? quote.length : 0;
  return { text: rest.slice(quote.length, rest.length - close), offset: prefix + quote.length };
}

function normaliseNumber(literal: string): string {
  const plain = literal.replace(/_/g, '').toLowerCase();
  if (/^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/.test(plain) && plain.replace(/\D/g, '').length <= 15) {
    const value = Number(plain);
    if (Number.isFinite(value)) return String(value);
  }
  return plain;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of `text` (or of `spans` of it), lowercased, with their spans in `text`. */
export function words(text: string, spans: readonly Span[] = [{ start: 0, end: text.length }]): Word[] {
  const found: Word[] = [];
  for (const span of spans) {
    const part = text.slice(span.start, span.end);
    for (const match of part.matchAll(WORD)) {
      const start = span.start + match.index;
      found.push({ key: match[0].toLowerCase(), start, end: start + match[0].length });
    }
  }
  return found;
}
