/**
 * One exported sample. Field meanings are documented in README.md ("What each JSONL field means"); bump
 * EXPORT_SCHEMA_VERSION when a field changes meaning.
 */
import type { ExportItem } from '../ports.ts';
import { entryPoint } from '../extract/composeProgram.ts';

export const EXPORT_SCHEMA_VERSION = 1;

export type JsonlRecord = {
  id: string;
  instruction: string;
  response: string;
  tests: string[];
  entry_point: string;
  language: 'python';
  method: 'natural-doctest';
  source: { project: string; path: string; start_line: number; end_line: number; sha256: string };
  verification: { examples: number; plain_asserts: boolean; runtime: string };
  schema_version: number;
};

/**
 * The record for a verified function, or null when it has nothing to export: only `passed` outcomes with
 * a program are samples, and a docstring that is nothing but examples gives no instruction.
 */
export function toJsonlRecord(item: ExportItem, projectName: string): JsonlRecord | null {
  const { path, summary, fn, fileSha256, outcome } = item;
  if (outcome.outcome.status !== 'passed') return null;
  const instruction = fn.prose?.trim() ?? '';
  if (instruction === '') return null;
  return {
    id: `${path}::${summary.qualname}::${summary.lineno}`,
    instruction,
    response: outcome.program,
    tests: outcome.outcome.tests,
    entry_point: entryPoint(fn),
    language: 'python',
    method: 'natural-doctest',
    source: { project: projectName, path, start_line: fn.startLine, end_line: fn.endLine, sha256: fileSha256 },
    verification: {
      examples: outcome.outcome.examples,
      plain_asserts: outcome.outcome.plainAsserts,
      runtime: outcome.runtime,
    },
    schema_version: EXPORT_SCHEMA_VERSION,
  };
}
