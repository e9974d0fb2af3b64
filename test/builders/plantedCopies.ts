/**
 * Benchmark tasks planted in samples the way contamination reaches a dataset: copied, with variables
 * renamed, reformatted, the task reworded around a run of its own words, the tests rewritten as top-level
 * asserts. And the substring check Magicoder and SelfCodeAlign decontaminate with (bigcode-dataset's
 * find_substrings: a sample is contaminated when it contains, case-insensitively, a HumanEval docstring or
 * canonical solution, or an MBPP task text or solution, each stripped), as the baseline to beat.
 *
 * Each variant stays valid Python where the original was (checked with CPython by the tests): renaming
 * touches only names the code binds, reformatting only spacing, quotes and indentation width.
 */
import { pythonTokens, PYTHON_KEYWORDS } from '../../src/core/llmText/pythonTokens.ts';
import type { HumanEvalTask, MbppTask } from './benchmarks.ts';

export type Planted = { instruction: string; response: string; tests: string[] };

/** HumanEval solutions the substring filter leaves out as too generic (bigcode-dataset's list, as meant). */
const HUMAN_EVAL_STRINGS_OK = ['return x + y', 'return len(string)', 'return n**2', "return ''.join(strings)"];

/** The strings the substring filter looks for, lowercased. */
export function substringNeedles(humanEval: HumanEvalTask[], mbpp: MbppTask[]): string[] {
  const docstring = (prompt: string): string => {
    const quote = prompt.includes('"""') ? '"""' : "'''";
    const parts = prompt.split(quote);
    return (parts.length >= 5 ? parts[3] : parts[1])?.trim() ?? '';
  };
  return [
    ...humanEval.map((t) => docstring(t.prompt)),
    ...humanEval.map((t) => t.canonical_solution.trim()).filter((s) => !HUMAN_EVAL_STRINGS_OK.includes(s)),
    ...mbpp.map((t) => t.text.trim()),
    ...mbpp.map((t) => t.code.trim()),
  ]
    .filter((s) => s !== '')
    .map((s) => s.toLowerCase());
}

/** Whether the substring filter drops a sample (its fields joined as find_substrings joins columns). */
export function substringMatch(needles: readonly string[], sample: Planted): boolean {
  const content = [sample.instruction, sample.response, ...sample.tests].join('\n\n').toLowerCase();
  return needles.some((needle) => content.includes(needle));
}

type Tok = { kind: string; text: string; line: number; depth: number };

/** Names the code binds: defined functions and classes, parameters, loop and `as` targets, assignments. */
function boundNames(tokens: readonly Tok[]): Set<string> {
  const bound = new Set<string>();
  const isName = (t: Tok | undefined) => t?.kind === 'name' && !PYTHON_KEYWORDS.has(t.text);
  tokens.forEach((t, i) => {
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (!isName(t) || previous?.text === '.') return;
    if (previous?.text === 'def' || previous?.text === 'class' || previous?.text === 'as') bound.add(t.text);
    // A parameter: inside the brackets of a def, after `(` `,` `*` `**`, before `,` `)` `=` `:`.
    const parameter = previous && ['(', ',', '*', '**'].includes(previous.text);
    if (parameter && next && [',', ')', '=', ':'].includes(next.text) && insideDef(tokens, i)) bound.add(t.text);
    // A loop target: between `for` and `in`.
    for (let j = i - 1; j >= 0 && j > i - 8; j--) {
      if (tokens[j]!.text === 'for') {
        if (tokens.slice(j + 1, i + 1).every((x) => isName(x) || [',', '(', ')'].includes(x.text))) bound.add(t.text);
        break;
      }
      if (tokens[j]!.text === 'in' || tokens[j]!.kind === 'newline') break;
    }
    // An assignment target at statement level.
    if (next && /^(?:=|\+=|-=|\*=|\/=|\/\/=|%=|\|=|&=)$/.test(next.text) && t.depth === 0) bound.add(t.text);
  });
  return bound;
}

function insideDef(tokens: readonly Tok[], i: number): boolean {
  const depth = tokens[i]!.depth;
  if (depth === 0) return false;
  for (let j = i - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.kind === 'newline') return false;
    if (t.text === '(' && t.depth === depth - 1)
      return tokens[j - 2]?.text === 'def' || tokens[j - 1]?.text === 'lambda';
  }
  return false;
}

/** `code` with every name it binds renamed consistently (`numbers` → `values_1`…), as an LLM's rewrite would. */
export function renameVariables(code: string, extra: readonly string[] = []): string {
  const tokens = pythonTokens(code);
  const bound = boundNames(tokens);
  for (const name of extra) bound.add(name);
  const names = new Map([...bound].map((name, k) => [name, `${['item', 'value', 'acc', 'data', 'tmp'][k % 5]}_${k}`]));
  return rewrite(code, (t, previous) =>
    t.kind === 'name' && previous?.text !== '.' && names.has(t.text) ? names.get(t.text)! : t.text,
  );
}

/**
 * `code` laid out differently: single spaces between all tokens of a line, indentation doubled, simple
 * strings requoted, a blank line after every `def`, comments dropped.
 */
export function reformat(code: string): string {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let open = 0;
  let pending = '';
  for (const line of lines) {
    if (open > 0 || pending !== '') {
      pending += '\n' + line;
    } else pending = line;
    const tokens = pythonTokens(pending);
    open = tokens.length > 0 ? depthAfter(tokens) : 0;
    const unterminated = /(?:'''|""")/.test(pending) && (pending.match(/'''|"""/g)?.length ?? 0) % 2 === 1;
    if (open > 0 || unterminated || pending.trimEnd().endsWith('\\')) continue;
    const indent = /^[ \t]*/.exec(pending)![0].replace(/\t/g, '    ').length;
    const body = tokens
      .filter((t) => t.kind !== 'newline' && t.kind !== 'comment')
      .map((t) => (t.kind === 'string' ? requote(t.text) : t.text))
      .join(' ');
    if (body.trim() !== '') out.push(' '.repeat(indent * 2) + body);
    if (/^\s*def\b/.test(pending)) out.push('');
    pending = '';
  }
  if (pending !== '') out.push(pending);
  return out.join('\n') + '\n';
}

function depthAfter(tokens: readonly Tok[]): number {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind !== 'op') continue;
    if ('([{'.includes(t.text)) depth++;
    else if (')]}'.includes(t.text)) depth = Math.max(0, depth - 1);
  }
  return depth;
}

/** A one-line string without quotes or backslashes inside, with the other quote character. */
function requote(literal: string): string {
  const m = /^([a-zA-Z]*)(['"])([^'"\\\n]*)\2$/.exec(literal);
  if (!m) return literal;
  const quote = m[2] === "'" ? '"' : "'";
  return `${m[1]}${quote}${m[3]}${quote}`;
}

/** Rebuild `code`, replacing each token's text through `replace` and keeping everything between tokens. */
function rewrite(code: string, replace: (t: Tok, previous: Tok | undefined) => string): string {
  const text = code.replace(/\r\n?/g, '\n');
  const tokens = pythonTokens(text);
  let out = '';
  let pos = 0;
  tokens.forEach((t, i) => {
    const at = text.indexOf(t.text, pos);
    out += text.slice(pos, at) + replace(t, tokens[i - 1]);
    pos = at + t.text.length;
  });
  return out + text.slice(pos);
}

/** HumanEval's `check(candidate)` asserts as top-level asserts on the entry point, one test each. */
export function humanEvalAsserts(task: HumanEvalTask, name = task.entry_point): string[] {
  return task.test
    .split('\n')
    .filter((line) => /^\s+assert /.test(line))
    .map((line) => line.trim().replace(/\bcandidate\b/g, name));
}

/** A HumanEval prompt without its docstring (a sample's own response rarely carries the benchmark's). */
export function withoutDocstring(prompt: string): string {
  return prompt.replace(/\n?[ \t]*("""|''')[\s\S]*?\1[ \t]*\n?/, '\n');
}

/** The prose of a HumanEval prompt's docstring, up to its examples, on one line. */
export function humanEvalProse(task: HumanEvalTask): string {
  const doc = /("""|''')([\s\S]*?)\1/.exec(task.prompt)?.[2] ?? '';
  const prose = doc.split(/\n\s*(?:>>>|Example|For example|Examples)/)[0] ?? '';
  return prose.replace(/\s+/g, ' ').trim();
}

/** An instruction that rewords a task's statement around a run of its own words. */
export function reworded(statement: string): string {
  const words = statement.replace(/[.:]+$/, '').split(/\s+/);
  const body = /^write$/i.test(words[0] ?? '') ? words.slice(2) : words;
  return `Could you create a small Python helper for me: ${body.join(' ').toLowerCase()}; please make it efficient.`;
}
