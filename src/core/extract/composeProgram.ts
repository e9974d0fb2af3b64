/**
 * What the extractor leaves out of its reply to keep it small, derived here from the stored file text:
 * a function's own source, its standalone program, its entry point, and what a blocker means in words.
 * Line splitting matches the extractor's (\r\n and \r count as newlines, nothing else does).
 */
import type { Blocker, ExtractedFunction, Segment } from '../../domain/extract.ts';

export const SEGMENT_SEPARATOR = '\n\n\n';

export function fileLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

function segmentText(lines: readonly string[], segment: Segment): string {
  return typeof segment === 'string' ? segment : lines.slice(segment[0] - 1, segment[1]).join('\n');
}

/** The function's standalone program: its segments in order, joined by two blank lines. */
export function composeProgram(text: string, segments: readonly Segment[], program: readonly number[]): string {
  const lines = fileLines(text);
  return program.map((index) => segmentText(lines, segments[index] ?? '')).join(SEGMENT_SEPARATOR) + '\n';
}

/** The function's own lines (decorators included), dedented by the indentation of its first line. */
export function functionSource(text: string, fn: Pick<ExtractedFunction, 'startLine' | 'endLine'>): string {
  const lines = fileLines(text).slice(fn.startLine - 1, fn.endLine);
  const indent = /^[ \t]*/.exec(lines[0] ?? '')![0];
  return lines.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
}

export function entryPoint(fn: Pick<ExtractedFunction, 'classPath' | 'name'>): string {
  return [...fn.classPath, fn.name].join('.');
}

export function blockerText(blocker: Blocker): string {
  switch (blocker.kind) {
    case 'nested':
      return 'It is defined inside another function, so it cannot run on its own.';
    case 'third_party':
      return `It imports '${blocker.module}', which is not in the Python standard library.`;
    case 'local_module':
      return `It imports '${blocker.module}' from this project; only single-file programs run.`;
    case 'unavailable':
      return `It imports '${blocker.module}', which the browser's Python does not include.`;
    case 'dedent':
      return 'Its source cannot be lifted out of the block that encloses it.';
    case 'analysis':
      return `Its analysis failed: ${blocker.detail ?? 'unknown error'}.`;
  }
}
