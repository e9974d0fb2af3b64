import { describe, expect, it } from 'vitest';
import { SCHEMA_1_RUNTIME, upgradeFile1to2, upgradeOutcome1to2, upgradeProject1to2 } from './upgrades.ts';

describe('schema 1 → 2', () => {
  it('turns an invented NondeterministicResult error into its own outcome, keeping the message', () => {
    const row: Record<string, unknown> = {
      id: 'p|a.py|1|f',
      schemaVersion: 1,
      outcome: {
        status: 'error',
        phase: 'tests',
        exception: {
          type: 'NondeterministicResult',
          message: 'the doctests passed, but … (AssertionError: )',
          traceback: '',
        },
      },
    };
    expect(upgradeOutcome1to2(row)).toBe(true);
    expect(row).toEqual({
      id: 'p|a.py|1|f',
      schemaVersion: 2,
      runtime: SCHEMA_1_RUNTIME,
      outcome: {
        status: 'nondeterministic',
        first: null,
        second: null,
        detail: 'The doctests passed, but … (AssertionError: ).',
      },
    });
  });

  it('leaves a real error alone, and never overwrites a runtime that is there', () => {
    const outcome = {
      status: 'error',
      phase: 'example',
      exception: { type: 'ValueError', message: 'x', traceback: '' },
    };
    const row: Record<string, unknown> = { schemaVersion: 1, outcome, runtime: 'CPython 3.15.0 (Pyodide 315.0.0)' };
    expect(upgradeOutcome1to2(row)).toBe(false);
    expect(row).toEqual({ schemaVersion: 2, outcome, runtime: 'CPython 3.15.0 (Pyodide 315.0.0)' });
  });

  it('moves the file summaries and the project counters of the converted functions only', () => {
    const file: Record<string, unknown> = {
      schemaVersion: 1,
      functions: [
        { id: 'a', status: 'error' },
        { id: 'b', status: 'error' },
        { id: 'c', status: 'passed' },
      ],
    };
    upgradeFile1to2(file, new Set(['a', 'c']));
    expect(file['functions']).toEqual([
      { id: 'a', status: 'nondeterministic' },
      { id: 'b', status: 'error' },
      { id: 'c', status: 'passed' },
    ]);
    const project: Record<string, unknown> = {
      schemaVersion: 1,
      message: 'Stopped: something.',
      counts: { byStatus: { error: 2, passed: 1 } },
    };
    upgradeProject1to2(project, 1);
    expect(project).toEqual({
      schemaVersion: 2,
      notice: { code: 'legacy', text: 'Stopped: something.' },
      counts: { byStatus: { error: 1, passed: 1, nondeterministic: 1 } },
    });
    const quiet: Record<string, unknown> = { schemaVersion: 1, message: null, counts: { byStatus: { error: 0 } } };
    upgradeProject1to2(quiet, 0);
    expect(quiet).toEqual({ schemaVersion: 2, notice: null, counts: { byStatus: { error: 0, nondeterministic: 0 } } });
  });
});
