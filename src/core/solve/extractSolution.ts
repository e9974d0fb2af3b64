/**
 * The solution in a solve reply. Whether it parses is for Python to say; this finds the code, trims what
 * would run during verification, and checks that the entry point is defined.
 *
 * Finding the code:
 * - Fenced (``` or ~~~, language python/py/python3 or none): the first complete block that defines the
 *   entry point, plus any other code block that defines (top level `def`/`class`) a name the chosen block
 *   uses without defining it, in the reply's order (a model that puts a helper in its own block). Blocks
 *   that only use the function ("Example usage") are left out.
 * - Unfenced (also what a prefilled "```python\n" reply is): from the first line that starts Python (`def`,
 *   `class`, `import`, `from … import`, a decorator), to the first line at that indentation that reads as
 *   prose; common indentation removed (a markdown indented code block).
 * Trimming the tail (it would print or fail during verification): an `if __name__ == "__main__":` block,
 * and after the last top-level `def`/`class`: `print(…)`, `assert …`, bare calls, assignments that call
 * the entry point, loops that print or call it, comments; also unittest TestCase classes and top-level
 * `test_*` functions. Other top-level code (constants, imports) stays.
 * Reasons: `empty` (blank reply), `no-code` (nothing that looks like Python), `truncated` (the token limit
 * cut the code itself: the block never closed, or unfenced code runs to the end), `no-entry-point` (code,
 * but no `def name(` at module level, or no `class Cls` … `def m(` for a method; a function defined only
 * inside a class, LeetCode's `class Solution`, is named in the detail).
 */
import type { Reply } from '../llmText/caps.ts';
import { fencedBlocks, type FencedBlock } from '../llmText/fence.ts';
import { stripSpecialTokens } from '../llmText/specialTokens.ts';
import { topLevelUnits } from './topLevel.ts';

export type SolutionDropReason = 'empty' | 'no-code' | 'no-entry-point' | 'truncated';

export type SolutionResult = { ok: true; code: string } | { ok: false; reason: SolutionDropReason; detail: string };

const CODE_LANG = /^(?:python3?|py3?)(?:$|[^\w-])/;
const CODE_START =
  /^[ \t]*(?:async[ \t]+def[ \t]|def[ \t]|class[ \t]|import[ \t]|from[ \t]+[\w.]+[ \t]+import[ \t]|@[\w.]+)/;
const PYTHON_LINE =
  /^(?:[#@)\]}'"]|(?:def|class|import|from|if|elif|else|for|while|try|except|finally|with|return|async|assert|raise|pass|global|nonlocal|del|yield|lambda|print|match|case|type)\b|[\w.[\]]+\s*(?:[-+*/%&|^@]?=|\(|\[|\.|:\s*\S)|[\w.]+\s*,)/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Prose at the code's own indentation: words with spaces, or a lone label like "Explanation:". */
function isProse(line: string): boolean {
  const t = line.trim();
  if (t === '') return false;
  // "Note: this function…" reads as an annotation to the Python pattern; an annotation has no sentence after it.
  if (/^\p{Lu}[\p{L} ]*:[ \t]+\p{L}+[ \t]+\p{L}/u.test(t) && !/[=(]/.test(t)) return true;
  if (PYTHON_LINE.test(t)) return false;
  return (
    /^[\p{L}*_`>-]/u.test(t) && (/^\S+[ \t]+[\p{L}(`'"]/u.test(t) || /^[\p{L}\s]+:$/u.test(t) || /^[*_#>-]/.test(t))
  );
}

/** Whether `code` defines the entry point where a call can reach it; else why not. */
export function definesEntryPoint(code: string, entryPoint: string): { ok: true } | { ok: false; detail: string } {
  const parts = entryPoint.split('.');
  const name = escape(parts.at(-1)!);
  const def = (indent: string) => new RegExp(`^${indent}(?:async[ \\t]+)?def[ \\t]+${name}[ \\t]*[[(]`, 'm');
  if (parts.length === 1) {
    if (def('').test(code)) return { ok: true };
    const nested = new RegExp(`^([ \\t]+)(?:async[ \\t]+)?def[ \\t]+${name}[ \\t]*[[(]`, 'm').exec(code);
    const holder = nested ? [...code.slice(0, nested.index).matchAll(/^class[ \t]+(\w+)/gm)].at(-1)?.[1] : undefined;
    return {
      ok: false,
      detail: nested
        ? `\`${parts[0]}\` is defined only inside ${holder ? `class \`${holder}\`` : 'another block'}, not at module level`
        : `no \`def ${parts[0]}(\` in the code`,
    };
  }
  let at = 0;
  let indent = -1;
  for (const cls of parts.slice(0, -1)) {
    const m = new RegExp(`^([ \\t]*)class[ \\t]+${escape(cls)}\\b`, 'm').exec(code.slice(at));
    if (!m || m[1]!.length <= indent) return { ok: false, detail: `no \`class ${cls}\` for \`${entryPoint}\`` };
    indent = m[1]!.length;
    at += m.index + m[0].length;
  }
  const method = new RegExp(`^([ \\t]+)(?:async[ \\t]+)?def[ \\t]+${name}[ \\t]*[[(]`, 'm').exec(code.slice(at));
  if (!method || method[1]!.length <= indent)
    return { ok: false, detail: `no method \`${parts.at(-1)}\` in \`class ${parts.at(-2)}\`` };
  return { ok: true };
}

/** A python block, or one without a language that holds a line of Python (not an output block). */
function isCodeBlock(b: FencedBlock): boolean {
  if (b.body.trim() === '') return false;
  if (CODE_LANG.test(b.lang)) return true;
  return b.lang === '' && b.body.split('\n').some((l) => CODE_START.test(l) || /^[ \t]*[\w.]+[ \t]*(?:=|\()/.test(l));
}

/** Blocks, and the blocks inside them (a ```python block quoted inside a ````markdown one). */
function withNested(blocks: readonly FencedBlock[]): FencedBlock[] {
  return blocks.flatMap((b) =>
    /^[ \t]*(?:`{3,}|~{3,})/m.test(b.body) ? [b, ...withNested(fencedBlocks(b.body))] : [b],
  );
}

/** Names a block defines at top level. */
function topNames(code: string): Set<string> {
  return new Set([...code.matchAll(/^(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm)].map((m) => m[1]!));
}

function blockCode(block: FencedBlock): string {
  // "```\npython\ndef f(…" : the language written on the first line.
  return block.body.replace(/^[ \t]*(?:python3?|py)[ \t]*\n/i, '');
}

function fromBlocks(blocks: FencedBlock[], entryPoint: string): { code: string; closed: boolean } | null {
  const code = blocks.filter(isCodeBlock);
  const defining = code.filter((b) => definesEntryPoint(blockCode(b), entryPoint).ok);
  const chosen = defining.find((b) => b.closed) ?? defining[0];
  if (!chosen) return null;
  const body = blockCode(chosen);
  const own = topNames(body);
  const used = new Set(body.match(/[A-Za-z_]\w*/g) ?? []);
  const helpers = code.filter((b) => {
    if (b === chosen || defining.includes(b)) return false;
    return [...topNames(blockCode(b))].some((n) => used.has(n) && !own.has(n));
  });
  const parts = code.filter((b) => b === chosen || helpers.includes(b)).map(blockCode);
  return { code: parts.join('\n\n'), closed: chosen.closed };
}

/** A line of module-level code that may precede a definition: an assignment, an import, a decorator. */
const MODULE_LINE =
  /^(?:[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*(?:[ \t]*:[^=]+)?[ \t]*=(?!=)|from[ \t]+[\w.]+[ \t]+import\b|import[ \t]+\w|@)/;

function unfenced(text: string): { code: string; toEnd: boolean } | null {
  const lines = text.split('\n');
  const found = lines.findIndex((l) => CODE_START.test(l));
  if (found === -1) return null;
  // Module-level code just above the first definition belongs to it: constants, imports, decorators.
  let start = found;
  for (let i = found - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (!MODULE_LINE.test(line)) break;
    start = i;
  }
  const base = /^[ \t]*/.exec(lines[start]!)![0];
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length < base.length || (indent.length === base.length && isProse(line))) {
      end = i;
      break;
    }
  }
  const code = lines
    .slice(start, end)
    .map((l) => (l.startsWith(base) ? l.slice(base.length) : l.trimStart()))
    .join('\n');
  return { code, toEnd: end === lines.length };
}

const TEST_TAIL = /^(?:print[ \t]*\(|assert\b|#|(?:unittest|doctest|pytest)\.)/;

/** The code without a `__main__` block and without test code after its last definition. */
export function trimTail(code: string, entryPoint: string): string {
  const units = topLevelUnits(code);
  const name = escape(entryPoint.split('.')[0]!);
  const callsEntry = new RegExp(`(?<![\\w.])${name}[ \\t]*\\(`);
  const isDef = (t: string) => /^(?:@|(?:async[ \t]+)?def[ \t]|class[ \t])/.test(t);
  const lastDef = units.reduce((last, u, i) => (isDef(u.text) ? i : last), -1);
  const kept = units.filter((unit, i) => {
    const t = unit.text;
    if (/^if[ \t]+__name__[ \t]*==/.test(t)) return false;
    if (/^class[ \t]+\w+[ \t]*\([ \t]*(?:unittest\.)?(?:IsolatedAsync)?TestCase[ \t]*\)/.test(t)) return false;
    const test = /^(?:async[ \t]+)?def[ \t]+(test_?\w*)[ \t]*\(/.exec(t);
    if (test && test[1] !== entryPoint && /^test_/.test(test[1]!)) return false;
    if (i <= lastDef) return true;
    if (TEST_TAIL.test(t)) return false;
    // A call of the entry point or of `main()`, bare or in an assignment or loop, or a loop that prints.
    const runs = callsEntry.test(t) || /^main[ \t]*\([ \t]*\)/.test(t);
    if (/^[\w.]+[ \t]*\(/.test(t) && runs) return false;
    if (/^(?:for|while|with)\b|^[\w.,\s[\]]+=(?!=)/.test(t) && (runs || /\bprint[ \t]*\(/.test(t))) return false;
    return true;
  });
  return kept
    .map((u) => u.text)
    .join('\n')
    .replace(/\s+$/, '');
}

/** The text with its fenced blocks blanked out (line numbers kept). */
function outsideBlocks(text: string, blocks: readonly FencedBlock[]): string {
  const lines = text.split('\n');
  for (const b of blocks) for (let i = b.startLine; i < b.endLine; i++) lines[i] = '';
  return lines.join('\n');
}

export function extractSolution(reply: Reply, entryPoint: string): SolutionResult {
  const text = stripSpecialTokens(reply.text).replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, reason: 'empty', detail: 'the reply is empty' };
  const cut = reply.finishReason === 'length';
  const truncated = { ok: false as const, reason: 'truncated' as const, detail: 'the token limit cut the code' };
  const top = fencedBlocks(text);
  const blocks = withNested(top);
  const fenced = fromBlocks(blocks, entryPoint);
  let code: string;
  if (fenced) {
    if (!fenced.closed && cut) return truncated;
    code = fenced.code;
  } else {
    // No block defines it: code outside the fences, else report on the blocks.
    const loose = unfenced(outsideBlocks(text, top));
    const looseCut = loose !== null && loose.toEnd && cut && top.length === 0;
    const codeBlocks = blocks.filter(isCodeBlock);
    if (loose && (codeBlocks.length === 0 || definesEntryPoint(trimTail(loose.code, entryPoint), entryPoint).ok)) {
      if (looseCut) return truncated;
      code = loose.code;
    } else if (codeBlocks.length > 0) {
      if (cut && codeBlocks.some((b) => !b.closed)) return truncated;
      code = codeBlocks.map(blockCode).join('\n\n');
    } else return { ok: false, reason: 'no-code', detail: 'no Python code in the reply' };
  }
  code = trimTail(code, entryPoint);
  if (code.trim() === '')
    return { ok: false, reason: 'no-code', detail: 'the code is empty once its test tail is removed' };
  const defined = definesEntryPoint(code, entryPoint);
  if (!defined.ok) return { ok: false, reason: 'no-entry-point', detail: defined.detail };
  return { ok: true, code: code + '\n' };
}
