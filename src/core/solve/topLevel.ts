/**
 * A program's top-level statements with their bodies: enough structure to drop a test tail without parsing
 * Python. A unit starts at a line of indentation 0 that begins a statement (not inside brackets, a
 * multi-line string or after a backslash) and runs to the next such line; blank lines and comments at
 * column 0 go with the unit before them.
 */
import { pythonTokens } from '../llmText/pythonTokens.ts';

export type Unit = { first: number; last: number; text: string };

/** Lines that begin a statement, as opposed to continuing one. */
function statementStarts(lines: readonly string[], code: string): boolean[] {
  const starts = lines.map((l) => l.trim() !== '');
  const seenOnLine = new Set<number>();
  for (const token of pythonTokens(code)) {
    if (token.kind === 'newline') continue;
    if (!seenOnLine.has(token.line)) {
      seenOnLine.add(token.line);
      // Inside brackets, or closing them (a closing bracket is reported at the depth outside it).
      if (token.depth > 0 || /^[)\]}]$/.test(token.text)) starts[token.line] = false;
    }
    const extra = token.text.split('\n').length - 1;
    for (let l = token.line + 1; l <= token.line + extra; l++) {
      starts[l] = false;
      seenOnLine.add(l);
    }
  }
  lines.forEach((line, i) => {
    if (i > 0 && /\\$/.test(lines[i - 1]!)) starts[i] = false;
  });
  return starts;
}

export function topLevelUnits(code: string): Unit[] {
  const lines = code.split('\n');
  const starts = statementStarts(lines, code);
  const units: Unit[] = [];
  lines.forEach((line, i) => {
    // A comment at column 0 does not end the unit it stands in: models put them inside function bodies.
    const top = starts[i] && !/^[ \t]/.test(line) && !/^#/.test(line);
    if (top || units.length === 0) units.push({ first: i, last: i, text: '' });
    else units.at(-1)!.last = i;
  });
  for (const unit of units) unit.text = lines.slice(unit.first, unit.last + 1).join('\n');
  return units;
}
