/**
 * A forgiving Python tokenizer for heuristics over code: names, numbers, strings, operators, comments and
 * newlines, with line numbers and bracket depth. It never throws: unterminated strings run to the end of
 * their line (or of the text, for triple quotes), unknown characters become one-character operators. Whether
 * code is valid Python is for Python to say; this only needs to tell code from strings and comments.
 */

export type PyToken = {
  kind: 'name' | 'number' | 'string' | 'op' | 'comment' | 'newline';
  text: string;
  /** 0-based line of the token's first character. */
  line: number;
  /** Bracket depth before the token: 0 at statement level. */
  depth: number;
};

const STRING =
  /(?:[rRbBuUfFtT]{1,3})?(?:'''[\s\S]*?(?:'''|$(?![\s\S]))|"""[\s\S]*?(?:"""|$(?![\s\S]))|'(?:[^'\\\n]|\\[\s\S])*(?:'|(?=\n)|$(?![\s\S]))|"(?:[^"\\\n]|\\[\s\S])*(?:"|(?=\n)|$(?![\s\S])))/y;
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{N}_]*/uy;
const NUMBER = /0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?/y;
const OPERATOR = /\*\*=|\/\/=|>>=|<<=|->|:=|==|!=|<=|>=|\*\*|\/\/|<<|>>|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|@=|[\s\S]/y;
const SPACE = /(?:[ \t\f]|\\\r?\n)+/y;

function at(pattern: RegExp, text: string, pos: number): string | null {
  pattern.lastIndex = pos;
  const m = pattern.exec(text);
  return m && m[0] !== '' ? m[0] : null;
}

export function pythonTokens(source: string): PyToken[] {
  const text = source.replace(/\r\n?/g, '\n');
  const tokens: PyToken[] = [];
  let pos = 0;
  let line = 0;
  let depth = 0;
  const push = (kind: PyToken['kind'], value: string) => {
    tokens.push({ kind, text: value, line, depth });
    line += value.split('\n').length - 1;
    pos += value.length;
  };
  while (pos < text.length) {
    const space = at(SPACE, text, pos);
    if (space) {
      line += space.split('\n').length - 1;
      pos += space.length;
      continue;
    }
    const c = text[pos]!;
    if (c === '\n') {
      push('newline', c);
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', pos);
      push('comment', text.slice(pos, end === -1 ? text.length : end));
      continue;
    }
    const string = at(STRING, text, pos);
    if (string) {
      push('string', string);
      continue;
    }
    const name = at(NAME, text, pos);
    if (name) {
      push('name', name);
      continue;
    }
    const number = /[\d.]/.test(c) ? at(NUMBER, text, pos) : null;
    if (number) {
      push('number', number);
      continue;
    }
    const op = at(OPERATOR, text, pos)!;
    if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
    push('op', op);
    if (op === '(' || op === '[' || op === '{') depth++;
  }
  return tokens;
}

/** Python's keywords and soft keywords: never a variable a description could be echoing. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield match case type'
  ).split(' '),
);
