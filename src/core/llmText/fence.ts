/**
 * Markdown code fences, both ways.
 *
 * Writing: untrusted code goes into a prompt inside a fence longer than any run of backticks in it, so the
 * code cannot close the fence early and write text that reads as the prompt's own.
 *
 * Reading: models fence their answers CommonMark-style, mostly. A fence is ``` or ~~~ (three or more); a
 * block closes at a line of the same character at least as long as its opener. Also accepted because small
 * models write them: openers indented any amount (inside a list item; that indentation is removed from the
 * body), a closing fence glued to the last code line (`    return x```` ), and a block the reply ends inside
 * (`closed: false`: the model hit its token limit or a stop string).
 */

export type FencedBlock = {
  /** First word of the info string, lowercased: 'python', 'py', 'json', '' when none. */
  lang: string;
  body: string;
  closed: boolean;
  /** Line index of the opening fence, and of the line after the block (after the closing fence). */
  startLine: number;
  endLine: number;
};

/** The longest run of `char` in `text`. */
function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** `code` inside a backtick fence that nothing in it can close. Line endings become "\n". */
export function fenceCode(code: string, lang = ''): string {
  const body = code.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

const OPENER = /^([ \t]*)(`{3,}|~{3,})[ \t]*(.*)$/;
const CLOSER = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

type Open = { indent: string; fence: string; lang: string; startLine: number; lines: string[] };

function closes(line: string, open: Open): 'line' | 'glued' | null {
  const whole = CLOSER.exec(line);
  if (whole) return whole[1]![0] === open.fence[0] && whole[1]!.length >= open.fence.length ? 'line' : null;
  // `    return x```` : a backtick fence glued to the end of a code line.
  if (open.fence[0] !== '`') return null;
  const glued = /(`{3,})[ \t]*$/.exec(line);
  return glued && glued[1]!.length >= open.fence.length && line.slice(0, glued.index).trim() !== '' ? 'glued' : null;
}

function dedent(line: string, indent: string): string {
  if (indent === '') return line;
  if (line.startsWith(indent)) return line.slice(indent.length);
  return line.trim() === '' ? '' : line;
}

/** The fenced blocks of `text`, in order. */
export function fencedBlocks(text: string): FencedBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: FencedBlock[] = [];
  let open: Open | null = null;
  for (const [index, line] of lines.entries()) {
    if (open) {
      const how = closes(line, open);
      if (how === null) {
        open.lines.push(dedent(line, open.indent));
        continue;
      }
      if (how === 'glued') open.lines.push(dedent(line.replace(/`{3,}[ \t]*$/, ''), open.indent));
      blocks.push(finish(open, true, index + 1));
      open = null;
      continue;
    }
    const m = OPENER.exec(line);
    // A backtick fence's info string cannot hold backticks: "```x```" on one line is inline code.
    if (!m || (m[2]![0] === '`' && m[3]!.includes('`'))) continue;
    const lang = (m[3]!.trim().split(/\s+/)[0] ?? '').replace(/^\{?\.?/, '').replace(/\}$/, '');
    open = { indent: m[1]!, fence: m[2]!, lang: lang.toLowerCase(), startLine: index, lines: [] };
  }
  if (open) blocks.push(finish(open, false, lines.length));
  return blocks;
}

function finish(open: Open, closed: boolean, endLine: number): FencedBlock {
  return { lang: open.lang, body: open.lines.join('\n'), closed, startLine: open.startLine, endLine };
}
