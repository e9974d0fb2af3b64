/**
 * One file's extraction reply → the rows stored for it. Each function gets its natural-mode status here
 * when nothing needs to run to decide it: no doctests, doctests that do not parse, or something that keeps
 * it from running on its own (third-party import, nested in a function...). The rest are `pending`.
 */
import type { FileExtraction } from '../ports.ts';
import type { ExtractReply, ExtractedFunction } from '../../domain/extract.ts';
import { SCHEMA_VERSION, functionId, type OutcomeRow, type TextRow } from '../../domain/records.ts';
import type { RunOutcome } from '../../domain/verify.ts';
import { blockerText, composeProgram } from './composeProgram.ts';

export function toRows(file: TextRow, reply: ExtractReply, now: number): FileExtraction {
  if (!reply.ok) return { path: file.path, state: 'failed', error: reply.error, segments: null, modules: [], functions: [] };
  const functions = reply.functions.map((fn) => {
    const id = functionId(file.projectId, file.path, fn);
    const decided = decide(fn);
    const runnable = fn.program !== null && fn.blockers.length === 0;
    const row = {
      id,
      projectId: file.projectId,
      schemaVersion: SCHEMA_VERSION,
      path: file.path,
      qualname: fn.qualname,
      lineno: fn.lineno,
      endLine: fn.endLine,
      kind: fn.kind,
      exampleCount: fn.examples.length,
      runnable,
      status: decided?.status ?? ('pending' as const),
    };
    const program = decided === null && fn.program ? composeProgram(file.text, reply.segments, fn.program) : null;
    const source = { id, projectId: file.projectId, schemaVersion: SCHEMA_VERSION, fileSha256: file.sha256, fn, program };
    // "No doctests" is most functions of most projects: the status says it all, no outcome row needed.
    const outcome: OutcomeRow | null =
      decided && decided.status !== 'no_doctests'
        ? { id, projectId: file.projectId, schemaVersion: SCHEMA_VERSION, outcome: decided, program: null, durationMs: 0, finishedAt: now }
        : null;
    return { row, source, outcome };
  });
  return { path: file.path, state: 'extracted', error: null, segments: reply.segments, modules: reply.modules, functions };
}

/** The outcome that needs no run, or null when the doctests must be run. */
export function decide(fn: ExtractedFunction): RunOutcome | null {
  if (fn.doctestError !== null) {
    const exception = { type: 'ValueError', message: `doctest could not parse the docstring: ${fn.doctestError}`, traceback: '' };
    return { status: 'error', phase: 'example', exception };
  }
  if (fn.examples.length === 0) return { status: 'no_doctests', detail: 'the docstring has no >>> examples' };
  const blocker = fn.blockers[0];
  if (blocker) return { status: 'not_runnable', module: blocker.module ?? '', detail: blockerText(blocker) };
  if (fn.program === null) return { status: 'not_runnable', module: '', detail: 'it cannot run on its own' };
  return null;
}
