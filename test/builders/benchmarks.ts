/**
 * The public benchmark data in ../shared/data (HumanEval, MBPP), read as typed rows. Tests use them as
 * real code and real tests that nobody on this project wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the checkout (where the project keeps it), or $SEMIVERSE_DATA. */
function dataDir(): string {
  const candidates = [process.env['SEMIVERSE_DATA'], fileURLToPath(new URL('../../../shared/data/', import.meta.url))];
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'HumanEval.jsonl')));
  if (!found) {
    throw new Error(
      `HumanEval.jsonl was not found in ${candidates.filter(Boolean).join(' or ')}: the benchmark data lives in ` +
        '../shared/data beside the checkout; set SEMIVERSE_DATA to its folder if it is elsewhere.',
    );
  }
  return found;
}

export type HumanEvalTask = {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  test: string;
  entry_point: string;
};
export type MbppTask = { task_id: number; text: string; code: string; test_list: string[]; test_setup_code: string };

function jsonl<T>(file: string): T[] {
  return readFileSync(join(dataDir(), file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export const humanEval = (): HumanEvalTask[] => jsonl<HumanEvalTask>('HumanEval.jsonl');
export const mbpp = (): MbppTask[] => jsonl<MbppTask>('mbpp_sanitized.jsonl');

/** MBPP tasks whose tests call math.isclose without importing math: a correct runner reports NameError. */
export const MBPP_MATH_WITHOUT_IMPORT = [98, 124, 137, 139, 163, 233, 246, 248, 276, 300];
