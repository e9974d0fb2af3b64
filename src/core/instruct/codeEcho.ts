/**
 * Does a candidate instruction echo the code instead of stating a problem? Two measurable heuristics.
 *
 * Pasted body: the instruction holds code from a function body, either
 * - two consecutive lines that each equal a body line of at least MIN_LINE_TOKENS tokens, or
 * - a run of RUN_TOKENS consecutive body tokens with at least RUN_NAMES distinct names, anywhere (inline
 *   code); a formula like `fib(n - 1) + fib(n - 2)` has too few names to count, and a specification may
 *   state its recurrence.
 * Compared as tokens, so spacing and backticks do not matter. Headers (`def`/`class` lines, decorators,
 * imports) do not count: restating the signature is a good instruction. Module-level statements do not
 * count either (a constant table quoted in a specification is fine), nor do comments and docstrings (the
 * description may well paraphrase the docstring). String literals compare as one placeholder token, so a
 * quoted regex or word list is not a run of punctuation that "matches".
 *
 * Restatement: the instruction walks through the code. Split into steps (lines, then
 * sentences); a step mirrors a body line when it names at least two of that line's identifiers. Flagged
 * when at least MIN_MIRRORED steps mirror body lines in the code's own order (a greedy increasing chain),
 * they are at least half the steps, and the text mentions at least two of the body's local variables
 * (names it assigns, which a task statement has no reason to know). A specification that names the
 * parameters in order is not a walk-through: parameters are not locals.
 */
import { PYTHON_KEYWORDS, pythonTokens, type PyToken } from '../llmText/pythonTokens.ts';

const MIN_LINE_TOKENS = 5;
const RUN_TOKENS = 12;
const RUN_NAMES = 4;
const MIN_MIRRORED = 4;
const MIN_LOCALS = 2;

/** A placeholder for every string literal, on both sides. */
const STR = '\u0000str';

type CodeLine = { tokens: string[]; names: Set<string>; body: boolean };

type CodeModel = {
  lines: CodeLine[];
  /** Body token n-grams (RUN_TOKENS long, RUN_NAMES names) joined by spaces. */
  runs: Set<string>;
  /** Names the body assigns, parameters excluded. */
  locals: Set<string>;
};

const isName = (token: string) => /^[\p{L}_]/u.test(token) && token !== STR;

/** Logical lines of the code, comments and docstrings dropped, strings as placeholders. */
function codeModel(code: string, entryPoint: string): CodeModel {
  const tokens = pythonTokens(code);
  const indentOf = code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => /^[ \t]*/.exec(l)![0].length);
  const entryNames = new Set(entryPoint.split('.'));
  const lines: CodeLine[] = [];
  const params = new Set<string>();
  const locals = new Set<string>();
  let current: PyToken[] = [];

  const flush = () => {
    const logical = current.filter((t) => t.kind !== 'comment' && t.kind !== 'newline');
    current = [];
    if (logical.length === 0) return;
    const first = logical[0]!;
    // A docstring, or any bare string statement.
    if (logical.every((t) => t.kind === 'string')) return;
    const head = first.text === 'async' ? logical[1]?.text : first.text;
    const header = head === 'def' || head === 'class' || head === '@' || head === 'import' || head === 'from';
    if (head === 'def') collectParams(logical, params);
    const texts = logical.map((t) => (t.kind === 'string' ? STR : t.text));
    const names = new Set(
      logical
        .filter((t) => t.kind === 'name' && !PYTHON_KEYWORDS.has(t.text) && !entryNames.has(t.text))
        .map((t) => t.text.toLowerCase()),
    );
    const body = !header && (indentOf[first.line] ?? 0) > 0;
    if (body) collectLocals(logical, locals);
    lines.push({ tokens: texts, names, body });
  };

  for (const token of tokens) {
    if (token.kind === 'newline' && token.depth === 0) flush();
    else current.push(token);
  }
  flush();

  const runs = new Set<string>();
  // Runs may span lines but never leave the body: each maximal stretch of consecutive body lines.
  let stretch: string[] = [];
  const addRuns = () => {
    for (let i = 0; i + RUN_TOKENS <= stretch.length; i++) {
      const run = stretch.slice(i, i + RUN_TOKENS);
      if (new Set(run.filter(isName)).size >= RUN_NAMES) runs.add(run.join(' '));
    }
    stretch = [];
  };
  for (const line of lines) {
    if (line.body) stretch.push(...line.tokens);
    else addRuns();
  }
  addRuns();
  for (const name of params) locals.delete(name);
  for (const name of entryNames) locals.delete(name);
  locals.delete('_');
  return { lines, runs, locals };
}

function collectParams(logical: PyToken[], into: Set<string>): void {
  const open = logical.findIndex((t) => t.text === '(');
  if (open === -1) return;
  const depth = logical[open]!.depth + 1;
  let expectName = true;
  for (const t of logical.slice(open + 1)) {
    if (t.text === ')' && t.depth === depth) break;
    if (t.depth !== depth) continue;
    if (t.text === ',') expectName = true;
    else if (expectName && t.kind === 'name') {
      into.add(t.text);
      expectName = false;
    } else if (t.text !== '*' && t.text !== '**' && t.text !== '/') expectName = false;
  }
}

/** Targets of assignments, `for` loops, `with … as`, `except … as` and walrus expressions. */
function collectLocals(logical: PyToken[], into: Set<string>): void {
  const eq = logical.findIndex(
    (t) => t.depth === 0 && /^(?:=|\+=|-=|\*=|\/=|\/\/=|%=|\*\*=|&=|\|=|\^=|>>=|<<=|@=)$/.test(t.text),
  );
  if (eq > 0) {
    // `a, b = …`, `x: int = …`: names before the first `:` at depth 0 (an annotation follows it).
    const colon = logical.findIndex((t, i) => i < eq && t.depth === 0 && t.text === ':');
    const end = colon === -1 ? eq : colon;
    logical.slice(0, end).forEach((t, i, all) => {
      if (t.kind === 'name' && all[i - 1]?.text !== '.' && all[i + 1]?.text !== '.' && all[i + 1]?.text !== '[')
        into.add(t.text);
    });
  }
  logical.forEach((t, i) => {
    if (t.text === 'for') {
      for (let j = i + 1; j < logical.length && logical[j]!.text !== 'in'; j++)
        if (logical[j]!.kind === 'name') into.add(logical[j]!.text);
    }
    if (t.text === 'as' && logical[i + 1]?.kind === 'name') into.add(logical[i + 1]!.text);
    if (t.text === ':=' && logical[i - 1]?.kind === 'name') into.add(logical[i - 1]!.text);
  });
}

/** Prose as code tokens: backticks and list markers gone, quoted text as the string placeholder. */
function proseTokens(line: string): string[] {
  const text = line
    .replace(/`+/g, ' ')
    .replace(/^\s*(?:[-*+•]|\d+[.)]|>>>|\.\.\.)\s+/, '')
    .replace(/(?<![\p{L}\p{N}_'"])(?:[rRbBfFuU]{1,2})?(['"])(?:(?!\1)[^\\\n]|\\.)*\1/gu, ` ${STR} `);
  return (
    text.match(
      /\u0000str|[\p{L}_][\p{L}\p{N}_]*|\d[\d_]*(?:\.\d+)?|\*\*=?|\/\/=?|==|!=|<=|>=|->|:=|[+\-*/%&|^@]=|[^\s\p{L}\p{N}_]/gu,
    ) ?? []
  );
}

export type CodeEcho = { reason: 'pastes-body' | 'restates-code'; detail: string };

/** Whether the instruction pastes or walks through the code; null when it does neither. */
export function codeEcho(instruction: string, code: string, entryPoint: string): CodeEcho | null {
  const model = codeModel(code, entryPoint);
  const pasted = pastedBody(instruction, model);
  if (pasted) return { reason: 'pastes-body', detail: pasted };
  const walked = restatement(instruction, model);
  return walked ? { reason: 'restates-code', detail: walked } : null;
}

function pastedBody(instruction: string, model: CodeModel): string | null {
  const bodyLines = new Set(
    model.lines.filter((l) => l.body && l.tokens.length >= MIN_LINE_TOKENS).map((l) => l.tokens.join(' ')),
  );
  const lines = instruction.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = proseTokens(lines[i]!).join(' ');
    const b = proseTokens(lines[i + 1]!).join(' ');
    if (bodyLines.has(a) && bodyLines.has(b)) return `two consecutive lines of the body: "${lines[i]!.trim()}"`;
  }
  const tokens = lines.flatMap(proseTokens);
  for (let i = 0; i + RUN_TOKENS <= tokens.length; i++) {
    const run = tokens.slice(i, i + RUN_TOKENS).join(' ');
    if (model.runs.has(run)) return `${RUN_TOKENS} consecutive tokens of the body: ${run.replaceAll(STR, "'…'")}`;
  }
  return null;
}

/**
 * Names a step mentions: anything in backticks; bare words of two letters or more; single lowercase
 * letters (`i`, `j`, `n` are variables in prose too), except "a", which counts only where it reads as code
 * (`a[`, `(a)`, `a +`).
 */
function stepNames(step: string): Set<string> {
  const names = new Set<string>();
  for (const m of step.matchAll(/`([^`]+)`/g))
    for (const n of m[1]!.match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? []) names.add(n.toLowerCase());
  const bare = step.replace(/`[^`]*`/g, ' ').replace(/\b(?:i\.e|e\.g|etc|vs)\./gi, ' ');
  for (const n of bare.match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? [])
    if (n.length >= 2 || /^[b-z]$/.test(n)) names.add(n.toLowerCase());
  if (/(?<![\p{L}\p{N}_'])a(?=\s*[[(=<>+\-*/%,)\]:])|[[(]\s*a\b/u.test(bare)) names.add('a');
  return names;
}

function steps(instruction: string): string[] {
  return instruction
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?;])\s+(?=[\p{Lu}\d`(])/u))
    .map((s) => s.trim())
    .filter((s) => /[\p{L}]/u.test(s));
}

function restatement(instruction: string, model: CodeModel): string | null {
  const body = model.lines.filter((l) => l.body && l.names.size > 0);
  const all = steps(instruction);
  let last = 0;
  let mirrored = 0;
  const mentioned = new Set<string>();
  for (const step of all) {
    const names = stepNames(step);
    for (const local of model.locals) if (names.has(local.toLowerCase())) mentioned.add(local);
    for (let j = last; j < body.length; j++) {
      let shared = 0;
      for (const n of body[j]!.names) if (names.has(n)) shared++;
      if (shared >= 2) {
        mirrored++;
        last = j;
        break;
      }
    }
  }
  if (mirrored >= MIN_MIRRORED && mirrored * 2 >= all.length && mentioned.size >= MIN_LOCALS)
    return `${mirrored} of ${all.length} steps follow the body line by line, naming its variables ${[...mentioned]
      .map((n) => `\`${n}\``)
      .join(', ')}`;
  return null;
}
