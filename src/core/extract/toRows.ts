/**
 * One file's extraction reply → what is stored for it. Each function gets its natural-mode status here
 * when nothing needs to run to decide it: no doctests, doctests that do not parse, or something that keeps
 * it from running on its own (third-party import, nested in a function...). The rest are `pending`, and
 * their standalone programs are composed now, while the file's text is at hand.
 */
import type { FileExtraction } from '../ports.ts';
import type { ExtractReply, ExtractedFunction } from '../../domain/extract.ts';
import { SCHEMA_VERSION, functionId, type FunctionSummary, type TextRow } from '../../domain/records.ts';
import type { RunOutcome } from '../../domain/verify.ts';
import { blockerText, composeProgram } from './composeProgram.ts';

export function toRows(file: TextRow, reply: ExtractReply): FileExtraction {
  if (!reply.ok) {
    return {
      path: file.path,
      state: 'failed',
      error: reply.error,
      segments: null,
      modules: [],
      functions: [],
      source: null,
    };
  }
  const functions: FunctionSummary[] = [];
  const programs: (string | null)[] = [];
  for (const fn of reply.functions) {
    const decided = decide(fn);
    functions.push({
      id: functionId(file.projectId, file.path, fn),
      qualname: fn.qualname,
      lineno: fn.lineno,
      endLine: fn.endLine,
      kind: fn.kind,
      exampleCount: fn.examples.length,
      runnable: fn.program !== null && fn.blockers.length === 0,
      status: decided?.status ?? 'pending',
    });
    programs.push(decided === null && fn.program ? composeProgram(file.text, reply.segments, fn.program) : null);
  }
  return {
    path: file.path,
    state: 'extracted',
    error: null,
    segments: reply.segments,
    modules: reply.modules,
    functions,
    source: {
      projectId: file.projectId,
      path: file.path,
      schemaVersion: SCHEMA_VERSION,
      fns: reply.functions,
      programs,
    },
  };
}

/** The outcome that needs no run, or null when the doctests must be run. Pure: the UI recomputes it. */
export function decide(fn: ExtractedFunction): RunOutcome | null {
  if (fn.doctestError !== null) {
    const exception = {
      type: 'ValueError',
      message: `doctest could not parse the docstring: ${fn.doctestError}`,
      traceback: '',
    };
    return { status: 'error', phase: 'example', exception };
  }
  if (fn.examples.length === 0) return { status: 'no_doctests', detail: 'The docstring has no >>> examples.' };
  const blocker = fn.blockers[0];
  if (blocker) return { status: 'not_runnable', module: blocker.module ?? '', detail: blockerText(blocker) };
  if (fn.program === null) return { status: 'not_runnable', module: '', detail: 'It cannot run on its own.' };
  return null;
}
