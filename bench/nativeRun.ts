/**
 * The baseline: bench/native_pipeline.py under the machine's python3, the same work the app does, in one
 * process. Its reply is checked here, at the boundary, before anything is compared with it.
 */
import { fileURLToPath } from 'node:url';
import { python3 } from './python3.ts';

const SCRIPT = fileURLToPath(new URL('./native_pipeline.py', import.meta.url));

const COUNTS = ['files', 'notParsed', 'functions', 'withDoctests', 'doctestsRun', 'passed', 'timedOut'] as const;
const TIMES = ['seconds', 'extractSeconds', 'verifySeconds'] as const;

export type NativeResult = Record<(typeof COUNTS)[number] | (typeof TIMES)[number], number> & {
  python: string;
  notes: string[];
  /** Functions found per file read; null where the file did not parse. */
  functionsByFile: Record<string, number | null>;
};

export async function runNative(folder: string): Promise<NativeResult> {
  return parseNative(JSON.parse(await python3(SCRIPT, [folder])) as unknown);
}

export function parseNative(value: unknown): NativeResult {
  const fail = (what: string): never => {
    throw new Error(`native_pipeline.py replied without ${what}: ${JSON.stringify(value).slice(0, 500)}`);
  };
  if (typeof value !== 'object' || value === null) return fail('an object');
  const reply = value as Record<string, unknown>;
  for (const key of [...COUNTS, ...TIMES]) if (typeof reply[key] !== 'number') fail(`a number "${key}"`);
  if (typeof reply['python'] !== 'string') fail('"python"');
  const notes = reply['notes'];
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string')) fail('"notes"');
  const byFile = reply['functionsByFile'];
  if (typeof byFile !== 'object' || byFile === null) return fail('"functionsByFile"');
  if (!Object.values(byFile).every((n) => n === null || typeof n === 'number')) fail('counts in "functionsByFile"');
  return reply as NativeResult;
}
