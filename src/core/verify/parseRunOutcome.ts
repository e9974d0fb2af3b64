/**
 * A run's outcome crosses a worker boundary, and the worker runs untrusted code that could forge it: check
 * its shape before anything is stored. Timeouts and crashes are never accepted from a worker; only the
 * pool, which watches the clock and the worker's life, can say those.
 */
import type { ExceptionInfo, RunOutcome } from '../../domain/verify.ts';
import { ShapeError, asString, bool, int, list, obj, str, type Obj } from '../../lib/guard.ts';

export function parseRunOutcome(value: unknown): RunOutcome {
  const o = obj(value, 'outcome');
  const status = str(o, 'status', 'outcome');
  switch (status) {
    case 'passed':
      return {
        status,
        examples: int(o, 'examples', 'outcome'),
        tests: list(o, 'tests', 'outcome', asString),
        plainAsserts: bool(o, 'plainAsserts', 'outcome'),
      };
    case 'failed': {
      const e = obj(o['example'], 'outcome.example');
      const example = {
        source: str(e, 'source', 'example'),
        want: str(e, 'want', 'example'),
        got: str(e, 'got', 'example'),
        lineno: int(e, 'lineno', 'example'),
      };
      return { status, example };
    }
    case 'error': {
      const phase = str(o, 'phase', 'outcome');
      if (phase !== 'setup' && phase !== 'example' && phase !== 'tests')
        throw new ShapeError(`outcome.phase: "${phase}"`);
      const exception = parseException(obj(o['exception'], 'outcome.exception'));
      return typeof o['example'] === 'string'
        ? { status, phase, exception, example: o['example'] }
        : { status, phase, exception };
    }
    case 'not_runnable':
      return { status, module: str(o, 'module', 'outcome'), detail: str(o, 'detail', 'outcome') };
    case 'no_doctests':
    case 'memory':
      return { status, detail: str(o, 'detail', 'outcome') };
    default:
      throw new ShapeError(`outcome.status: "${status}" is not a status a runner may report`);
  }
}

function parseException(e: Obj): ExceptionInfo {
  return {
    type: str(e, 'type', 'exception'),
    message: str(e, 'message', 'exception'),
    traceback: str(e, 'traceback', 'exception'),
  };
}
