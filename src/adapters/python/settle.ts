/**
 * What the pool reports for a call, from what it observed (the worker's reply, a deadline, a death). One
 * place, so every kind of call says the same thing about the same event. Replies are validated here.
 */
import { parseExtractReply } from '../../core/extract/parseExtractReply.ts';
import { parseCallReply } from '../../core/verify/parseCallReply.ts';
import { parseRunOutcome } from '../../core/verify/parseRunOutcome.ts';
import type { ExtractReply } from '../../domain/extract.ts';
import type { CallResult } from '../../domain/run.ts';
import type { ExceptionInfo, RunOutcome } from '../../domain/verify.ts';
import { describeThrown } from './envelope.ts';
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
