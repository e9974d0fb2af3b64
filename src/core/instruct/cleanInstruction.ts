/**
 * The instruction inside a candidate reply. The paper stops generation at "```" and keeps the rest; small
 * chat models also wrap the instruction in things that are not part of it, removed here:
 * - before: a preamble ("Sure! Here is the problem description:"), headings ("**Problem Description:**");
 *   when the opener was only asked for, the text starts at the opener (or another of the paper's) if one
 *   begins a line near the top, else it is kept as written (gluing the opener onto "This function…" would
 *   not read);
 * - after: a code fence and everything from it (an "Example usage" block, the solution), a role marker the
 *   model imitates ("@@ Response", "### Solution"), an intro line or last sentence left dangling by that
 *   cut ("Here is the code:"), sign-offs ("Let me know if…"), quotes or bold around the whole text.
 * Examples written as prose ("For example, `f([1, 2])` returns `3`.") stay: they specify behaviour, and
 * the round trip benefits from them. Fenced examples go, like everything after a fence in the paper.
 */
import { INSTRUCT_OPENER_WORDS } from './instructPrompt.ts';

const OPENER_WORDS = INSTRUCT_OPENER_WORDS.map((w) => w.replace(/ a$/, '')).join('|');

/** Where the instruction certainly ends: a fence, or a turn/section marker that starts an answer. */
const ENDS = [
  /```/,
  /^[ \t]*~~~/m,
  /^[ \t]*@@/m,
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?(?:Response|Solution|Answer|Code|Implementation|Python Code)(?:\*\*|__)?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*$/im,
];

/** Words that make a heading line the stage's own label, not a section of the specification. */
const LABEL_WORDS = /\b(?:problem|task|instruction|question|description|statement|title)s?\b/i;

/** A line that only names the section: "**Problem Description:**", "### Task", "Problem statement:". */
function isHeading(line: string): boolean {
  const t = line.trim();
  const hashes = /^#{1,6}[ \t]+(.{1,60})$/.exec(t);
  const bold = /^(\*\*|__)([^*_\n]{1,60})\1[ \t]*:?$/.exec(t) ?? /^(\*\*|__)([^*_\n]{1,60}:)\1$/.exec(t);
  const plain =
    /^(?:the[ \t]+)?(?:(?:programming|coding)[ \t]+)?(?:problem|task|description)(?:[ \t]+(?:description|statement))?[ \t]*:$/i;
  if (hashes) return LABEL_WORDS.test(hashes[1]!);
  if (bold) return LABEL_WORDS.test(bold[2]!);
  return plain.test(t);
}

/** The same label in front of the text: "**Problem:** Write a …". */
const LEADING_LABEL =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?(?:programming[ \t]+)?(?:problem|task)(?:[ \t]+(?:description|statement))?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]+(?=\S)/i;

/** Lines a chat model opens with before the content. */
const PREAMBLE =
  /^[ \t]*(?:sure|certainly|of course|absolutely|okay|ok|great|alright|here(?:'s| is| are)|below is|the following is|based on the (?:code|snippet)|the problem description)\b/i;

/** Lines a chat model ends with after the content. */
const SIGN_OFF =
  /^[ \t]*(?:i hope|hope this|let me know|please let me know|feel free|good luck|happy coding|if you (?:have|need)|this (?:problem )?description (?:captures|should|covers))\b/i;

/** "Here is the code:", "Example usage:", "…as follows:": a line that introduces what the cut removed. */
const INTRO = /:[ \t]*(?:\*\*|__)?[ \t]*$/;

function cutAtEnd(text: string): string {
  let cut = text.length;
  for (const end of ENDS) {
    const m = end.exec(text);
    if (m && m.index < cut) cut = m.index;
  }
  return text.slice(0, cut);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Cut a preamble off a reply that was told, not made, to begin with the opener. */
function fromOpener(text: string, opener: string): string {
  const near = text.slice(0, 600);
  const exact = new RegExp(`(?:^|\\n|[.!:][ \\t]+)\\W{0,4}(${escape(opener)})`, 'i').exec(near);
  const any = new RegExp(`(?:^|\\n)[^\\S\\n]*\\W{0,4}((?:${OPENER_WORDS})\\s+an?\\s)`, 'i').exec(near);
  const found = exact ?? any;
  if (found) {
    const start = found.index + found[0].length - found[1]!.length;
    const before = text.slice(0, start);
    // Only a preamble may be dropped: short, or made of preamble and heading lines.
    if (before.length < 200 || before.split('\n').every((l) => l.trim() === '' || PREAMBLE.test(l) || isHeading(l)))
      return text.slice(start);
  }
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[0]!.trim() === '' || PREAMBLE.test(lines[0]!) || isHeading(lines[0]!)))
    lines.shift();
  return lines.join('\n');
}

function stripQuotes(text: string): string {
  const pairs: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '`': '`' };
  const first = text[0] ?? '';
  const close = pairs[first];
  if (close && text.length > 1 && text.endsWith(close) && !text.startsWith('```')) {
    const inner = text.slice(1, -1);
    if (!inner.includes(first) || first !== close) return inner.trim();
  }
  // A lone closing quote, left when the opener (without its quote) was prefilled.
  const last = text.at(-1) ?? '';
  if ((last === '"' || last === '”') && (text.split(last).length - 1) % 2 === 1 && !text.includes('“'))
    return text.slice(0, -1).trim();
  return text;
}

function stripBold(text: string): string {
  const m = /^(\*\*|__)([\s\S]+)\1$/.exec(text);
  return m && !m[2]!.includes(m[1]!) ? m[2]!.trim() : text;
}

/** The instruction in `text` (already free of special tokens; prefixed with the opener when prefilled). */
export function cleanInstruction(text: string, opener: string, prefilled: boolean): string {
  let out = prefilled ? text : fromOpener(text, opener);
  out = cutAtEnd(out);
  const lines = out
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .filter((l, i) => !isHeading(l) || (i === 0 && l.startsWith(opener)));
  if (lines.length > 0) lines[0] = lines[0]!.replace(LEADING_LABEL, '');
  // Dangling intros, sign-offs and blank lines at the end, until nothing changes.
  for (;;) {
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    const last = lines.at(-1);
    const rest = lines.slice(0, -1).some((l) => l.trim() !== '');
    if (last !== undefined && rest && (SIGN_OFF.test(last) || INTRO.test(last))) lines.pop();
    else break;
  }
  // "…reverses a string. Here is an example:" on one line: the last sentence introduces what was cut.
  out = lines
    .join('\n')
    .replace(/([.!?][*_`"')\]]{0,3})[ \t][^.!?\n]*:[ \t]*$/, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // Quotes inside bold inside quotes, at most a few layers deep.
  for (let layer = 0; layer < 3; layer++) out = stripBold(stripQuotes(out));
  // A quote or heading marker in front of the whole text.
  return out.replace(/^(?:>[ \t]*|#{1,6}[ \t]+)+/, '').trim();
}
