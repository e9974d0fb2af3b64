/**
 * A JSON reader for model output. Unlike JSON.parse it
 * - keeps a number's text (`1.0` stays `1.0`, `10000000000000000001` stays exact): Python reads it later;
 * - tells the end of the text (`eof`: the reply was cut) from a syntax error;
 * - reads an array element by element (`readArray`), so one bad element or a cut at the end loses only
 *   that element;
 * - skips `//` and `/* … *\/` comments and trailing commas, accepts raw control characters inside strings
 *   and Python's `True`, `False` and `None` as values (models write all of these).
 */

export type Json =
  | { t: 'object'; entries: [string, Json][] }
  | { t: 'array'; items: Json[] }
  | { t: 'string'; v: string }
  | { t: 'number'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  /** True, False or None written bare, as Python. */
  | { t: 'python'; raw: 'True' | 'False' | 'None' };

export class JsonFail {
  constructor(
    readonly kind: 'eof' | 'syntax',
    readonly pos: number,
    readonly message: string,
    /** Not worth recovering from (nesting past MAX_DEPTH): element-wise reading stops too. */
    readonly fatal = false,
  ) {}
}

/** One element of an array read by readArray. */
export type Element = { ok: true; value: Json } | { ok: false; fail: JsonFail; text: string };

/** Arguments nest a few levels; a deeper reply is garbage, and recursion has a limit. */
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[\s\uFEFF]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const WORDS: readonly [string, Json][] = [
  ['true', { t: 'bool', v: true }],
  ['false', { t: 'bool', v: false }],
  ['null', { t: 'null' }],
  ['True', { t: 'python', raw: 'True' }],
  ['False', { t: 'python', raw: 'False' }],
  ['None', { t: 'python', raw: 'None' }],
];

export class JsonReader {
  pos: number;
  constructor(
    readonly text: string,
    start = 0,
  ) {
    this.pos = start;
  }

  /** The next significant character ('' at the end), after whitespace and comments. */
  peek(): string {
    for (;;) {
      SPACE.lastIndex = this.pos;
      SPACE.exec(this.text);
      this.pos = SPACE.lastIndex;
      if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.text.length : end;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end === -1 ? this.text.length : end + 2;
      } else return this.text[this.pos] ?? '';
    }
  }

  private fail(kind: 'eof' | 'syntax', message: string): JsonFail {
    return new JsonFail(kind, this.pos, message);
  }

  private expect(char: string): void {
    const c = this.peek();
    if (c === '') throw this.fail('eof', `expected '${char}'`);
    if (c !== char) throw this.fail('syntax', `expected '${char}', found '${c}'`);
    this.pos++;
  }

  private depth = 0;

  /** One value; throws JsonFail. */
  value(): Json {
    const c = this.peek();
    if (c === '') throw this.fail('eof', 'expected a value');
    if ((c === '{' || c === '[') && this.depth >= MAX_DEPTH)
      throw new JsonFail('syntax', this.pos, `nested deeper than ${MAX_DEPTH}`, true);
    this.depth++;
    try {
      return this.scalarOrContainer(c);
    } finally {
      this.depth--;
    }
  }

  private scalarOrContainer(c: string): Json {
    if (c === '{') return this.object();
    if (c === '[') {
      const { elements, closed } = this.readArray();
      const items = elements.map((e) => {
        if (e.ok) return e.value;
        throw e.fail;
      });
      if (!closed) throw this.fail('eof', 'cut inside an array');
      return { t: 'array', items };
    }
    if (c === '"') return { t: 'string', v: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of WORDS) {
      const rest = this.text.slice(this.pos, this.pos + word.length);
      if (rest === word && !/\w/.test(this.text[this.pos + word.length] ?? '')) {
        this.pos += word.length;
        return value;
      }
      if (word.startsWith(rest) && this.pos + rest.length >= this.text.length)
        throw this.fail('eof', 'cut inside a word');
    }
    throw this.fail('syntax', `unexpected '${c}'`);
  }

  string(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw this.fail('eof', 'cut inside a string');
      const c = this.text[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (this.pos >= this.text.length) throw this.fail('eof', 'cut inside a string');
      const e = this.text[this.pos++]!;
      if (e === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (hex.length < 4 && /^[0-9a-fA-F]*$/.test(hex)) throw this.fail('eof', 'cut inside \\u');
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.fail('syntax', `bad escape \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else if (e in ESCAPES) out += ESCAPES[e];
      else throw this.fail('syntax', `bad escape \\${e}`);
    }
  }

  private number(): Json {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || m[0] === '-') {
      if (this.pos + 1 >= this.text.length) throw this.fail('eof', 'cut inside a number');
      throw this.fail('syntax', 'bad number');
    }
    this.pos += m[0].length;
    // A number that ends the text may have been cut ("12" of "123").
    if (this.pos >= this.text.length) throw this.fail('eof', 'a number at the end of the text');
    if (/[\w.]/.test(this.text[this.pos]!)) throw this.fail('syntax', 'bad number');
    return { t: 'number', raw: m[0] };
  }

  private object(): Json {
    const entries: [string, Json][] = [];
    this.expect('{');
    for (;;) {
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return { t: 'object', entries };
      }
      if (c === '') throw this.fail('eof', 'cut inside an object');
      const key = this.string();
      this.expect(':');
      entries.push([key, this.value()]);
      const next = this.peek();
      if (next === ',') this.pos++;
      else if (next === '') throw this.fail('eof', 'cut inside an object');
      else if (next !== '}') throw this.fail('syntax', `expected ',' or '}', found '${next}'`);
    }
  }

  /**
   * The elements of the array that starts here, each read on its own. Reading stops at the closing
   * bracket (`closed`), or at the end of the text (the last element then fails with `eof`, unless the text
   * ended between elements). After a syntax error inside an element, reading resumes after that element.
   */
  readArray(): { elements: Element[]; closed: boolean } {
    const out: Element[] = [];
    this.expect('[');
    for (;;) {
      const c = this.peek();
      if (c === ']') {
        this.pos++;
        return { elements: out, closed: true };
      }
      if (c === '') return { elements: out, closed: false };
      const start = this.pos;
      try {
        out.push({ ok: true, value: this.value() });
      } catch (error) {
        if (!(error instanceof JsonFail) || error.fatal) throw error;
        if (error.kind === 'eof') {
          out.push({ ok: false, fail: error, text: this.text.slice(start) });
          return { elements: out, closed: false };
        }
        const end = skipElement(this.text, start);
        // `[1,,2]`: an empty element, not a bad one.
        if (!(end === start && c === ',')) {
          this.pos = Math.max(end, start + 1);
          out.push({ ok: false, fail: error, text: this.text.slice(start, this.pos) });
        }
      }
      const next = this.peek();
      if (next === ',') this.pos++;
      // Text between two elements; a missing comma is let pass when another element follows.
      else if (next !== ']' && next !== '' && next !== '{' && next !== '[') {
        const at = this.pos;
        this.pos = Math.max(skipElement(this.text, at), at + 1);
        const fail = new JsonFail('syntax', at, `unexpected '${next}' after an element`);
        out.push({ ok: false, fail, text: this.text.slice(at, this.pos) });
      }
    }
  }
}

/** The position of the `,` or closing bracket that ends the element starting at `start` (or the end). */
export function skipElement(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return text.length;
}
