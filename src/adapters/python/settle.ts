/**
 * What the pool reports for a call, from what it observed (the worker's reply, a deadline, a death). One
 * place, so every kind of call says the same thing about the same event. Replies are validated here.
 */
import { parseExtractReply } from '../../core/extract/parseExtractReply.ts';
import { parseCasesReply } from '../../core/oracle/parseCasesReply.ts';
import { parseMutateReply } from '../../core/oracle/parseMutateReply.ts';
import { parseCallReply } from '../../core/verify/parseCallReply.ts';
import { parseEntryInfo } from '../../core/pipeline/parseEntryInfo.ts';
import type { EntryInfo, Mutant, MutantRuns, MutantsJob } from '../../domain/pipeline.ts';
import { parseRunOutcome } from '../../core/verify/parseRunOutcome.ts';
import { parsePythonVersion } from '../../core/screen/parsePythonVersion.ts';
import type { CasesResult, MutateResult } from '../../domain/cases.ts';
import type { ExtractReply } from '../../domain/extract.ts';
import type { CallResult } from '../../domain/run.ts';
import type { ExceptionInfo, RunOutcome } from '../../domain/verify.ts';
import { describeThrown } from './envelope.ts';
import { parseNormaliseReply } from '../../core/dedup/parseNormaliseReply.ts';
import type { NormaliseReply } from '../../domain/dataset.ts';
import type { SlotSettled } from './slot.ts';

type Lost = Extract<SlotSettled, { kind: 'crashed' | 'fault' }>;

/**
 * Code that recurses through C (repr of a 100,000-deep list, say) exhausts the browser's stack before
 * CPython's own guard, which watches WebAssembly's stack, notices; the interpreter is lost and replaced.
 * Native CPython raises RecursionError for the same code, so that is what the outcome says.
 */
const STACK_OVERFLOW: ExceptionInfo = {
  type: 'RecursionError',
  message: "maximum recursion depth exceeded (the browser's stack ran out; Python was restarted)",
  traceback: '',
};

export function toExtractReply(settled: SlotSettled): ExtractReply {
  switch (settled.kind) {
    case 'reply':
      return parseOr(settled.value, parseExtractReply, (detail) => extractFailure('Crashed', detail));
    case 'timeout':
      return extractFailure('Timeout', `extraction took longer than ${settled.limitMs / 1000} s`);
    case 'interrupted':
      return extractFailure('Timeout', 'extraction was interrupted');
    case 'crashed':
    case 'fault':
      // Usually the browser's stack running out inside CPython's parser (very deep nesting).
      return extractFailure('Crashed', `Python stopped while reading this file and was restarted (${settled.detail})`);
  }
}

export function toRunOutcome(settled: SlotSettled, limitMs: number): RunOutcome {
  switch (settled.kind) {
    case 'reply':
      return parseOr(settled.value, parseRunOutcome, (detail) => ({ status: 'crashed', detail }));
    case 'timeout':
      return { status: 'timeout', limitMs: settled.limitMs };
    case 'interrupted':
      return { status: 'timeout', limitMs };
    case 'crashed':
    case 'fault':
      return isStackOverflow(settled)
        ? { status: 'error', phase: 'example', exception: STACK_OVERFLOW }
        : { status: 'crashed', detail: settled.detail };
  }
}

export function toCallResult(settled: SlotSettled, limitMs: number): CallResult {
  switch (settled.kind) {
    case 'reply':
      return parseOr(settled.value, parseCallReply, (detail) => ({ kind: 'crashed', detail }));
    case 'timeout':
      return { kind: 'timeout', limitMs: settled.limitMs };
    case 'interrupted':
      return { kind: 'timeout', limitMs };
    case 'crashed':
    case 'fault': {
      if (!isStackOverflow(settled)) return { kind: 'crashed', detail: settled.detail };
      const nothing = { text: '', truncated: false };
      return { kind: 'exception', phase: 'call', ...STACK_OVERFLOW, stdout: nothing, stderr: nothing };
    }
  }
}

/**
 * A batch of cases: a deadline ends the whole batch (the pool cannot tell which case ran long), and so does
 * a lost interpreter (a stack overflow cannot be pinned on one case either). `expectedCases`: the job's
 * number of cases, which the reply must match.
 */
export function toCasesResult(settled: SlotSettled, limitMs: number, expectedCases?: number): CasesResult {
  switch (settled.kind) {
    case 'reply':
      return parseOr(
        settled.value,
        (value) => parseCasesReply(value, expectedCases),
        (detail) => ({ kind: 'crashed', detail }),
      );
    case 'timeout':
      return { kind: 'timeout', limitMs: settled.limitMs };
    case 'interrupted':
      return { kind: 'timeout', limitMs };
    case 'crashed':
    case 'fault':
      return { kind: 'crashed', detail: settled.detail };
  }
}

export function toMutateResult(settled: SlotSettled, limitMs: number): MutateResult {
  switch (settled.kind) {
    case 'reply':
      return parseOr(settled.value, parseMutateReply, (detail) => ({ kind: 'crashed', detail }));
    case 'timeout':
      return { kind: 'timeout', limitMs: settled.limitMs };
    case 'interrupted':
      return { kind: 'timeout', limitMs };
    case 'crashed':
    case 'fault':
      return { kind: 'crashed', detail: settled.detail };
  }
}

function isStackOverflow(settled: Lost): boolean {
  return settled.kind === 'fault' && settled.stack === true;
}

function extractFailure(kind: string, message: string): ExtractReply {
  return { ok: false, error: { kind, line: null, column: null, message } };
}

function parseOr<T>(value: unknown, parse: (v: unknown) => T, failed: (detail: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    return failed(`unusable reply from the Python worker: ${describeThrown(error)}`);
  }
}

/**
 * Which Python ran the code, from its own report ("CPython 3.14.2 (Pyodide 314.0.7)"). A worker that does
 * not answer (or answers something else) gets no say: the call throws, and the stage stops with the reason.
 */
export function toRuntime(settled: SlotSettled): string {
  if (settled.kind === 'reply') {
    const reply = settled.value as { python?: unknown; host?: unknown } | null;
    const text = (value: unknown): value is string => typeof value === 'string' && /^[\w .+-]{1,60}$/.test(value);
    if (reply && text(reply.python) && text(reply.host)) return `${reply.python} (${reply.host})`;
    throw new Error('Python did not say which version it is');
  }
  throw new Error(`Python did not say which version it is (${settled.kind})`);
}

/** An entry point's description; a worker that does not answer, or answers something else, says "not found". */
export function toEntryInfo(settled: SlotSettled): EntryInfo {
  if (settled.kind !== 'reply') return { found: false, detail: `Python could not read the program (${settled.kind})` };
  return parseOr(settled.value, parseEntryInfo, (detail) => ({ found: false, detail }));
}

/** Mutants of a program: a reply that does not fit (or none) is no mutants, the oracle then covers lines only. */
export function toMutants(settled: SlotSettled): Mutant[] {
  if (settled.kind !== 'reply' || !Array.isArray(settled.value)) return [];
  return settled.value.flatMap((m: unknown) => {
    const o = m as { program?: unknown; line?: unknown; kind?: unknown } | null;
    return o && typeof o.program === 'string' && typeof o.line === 'number' && typeof o.kind === 'string'
      ? [{ program: o.program, line: o.line, kind: o.kind }]
      : [];
  });
}

/** Each mutant's outcomes, checked like run_cases replies (the right number of cases each). */
export function toMutantRuns(settled: SlotSettled, limitMs: number, job: MutantsJob): MutantRuns {
  switch (settled.kind) {
    case 'reply':
      return parseOr(
        settled.value,
        (value): MutantRuns => {
          if (!Array.isArray(value) || value.length !== job.programs.length)
            throw new Error('not one reply per mutant');
          return { kind: 'ran', runs: value.map((reply: unknown) => parseCasesReply(reply, job.cases.length)) };
        },
        (detail): MutantRuns => ({ kind: 'crashed', detail }),
      );
    case 'timeout':
      return { kind: 'timeout', limitMs: settled.limitMs };
    case 'interrupted':
      return { kind: 'timeout', limitMs };
    case 'crashed':
    case 'fault':
      return { kind: 'crashed', detail: settled.detail };
  }
}

/**
 * One file's normalised functions (dedup). A reply that does not fit, a timeout or a crash is a failure
 * for the file: its functions take no part in dedup, and the run goes on.
 */
export function toNormaliseReply(settled: SlotSettled, count: number): NormaliseReply {
  if (settled.kind !== 'reply') return { ok: false, error: `Python could not normalise the file (${settled.kind})` };
  return parseOr(
    settled.value,
    (value) => parseNormaliseReply(value, count),
    (error) => ({ ok: false, error }),
  );
}

/**
 * The oldest Python version whose grammar accepts the sources (null: none does). A worker that does not
 * answer, or answers something else, gets no say: the call throws, and the screen records no version.
 */
export function toPythonVersion(settled: SlotSettled): string | null {
  if (settled.kind !== 'reply') throw new Error(`Python could not tell the version (${settled.kind})`);
  return parsePythonVersion(settled.value);
}
