/**
 * HumanEval and MBPP as runner jobs (program + assert-style tests), for the conformance test in Chromium
 * and the runner benchmark (bench/runner.ts): both run exactly these rows.
 * - HumanEval: prompt + canonical_solution, then the task's `check` definition and `check(entry_point)`.
 * - MBPP: the reference code, then test_setup_code (when there is one) and test_list.
 * - Wrong solutions: every HumanEval prompt with the NEXT task's body. Native CPython 3.11 fails all 164
 *   (mostly NameError, 16 AssertionError, 13 UnboundLocalError, 1 TypeError), none loops.
 */
import { humanEval, mbpp, type HumanEvalTask } from '../../builders/benchmarks.ts';

export type ConformanceRow = { id: string; program: string; tests: string[] };

function humanEvalRow(task: HumanEvalTask, body: string): ConformanceRow {
  return { id: task.task_id, program: task.prompt + body, tests: [task.test, `check(${task.entry_point})`] };
}

export function humanEvalRows(): ConformanceRow[] {
  return humanEval().map((task) => humanEvalRow(task, task.canonical_solution));
}

export function mbppRows(): ConformanceRow[] {
  return mbpp().map((task) => ({
    id: String(task.task_id),
    program: task.code,
    tests: [task.test_setup_code, ...task.test_list].filter((line) => line.trim() !== ''),
  }));
}

/** Each HumanEval prompt completed with the following task's canonical body (the last with the first's). */
export function wrongHumanEvalRows(): ConformanceRow[] {
  const tasks = humanEval();
  return tasks.map((task, i) => humanEvalRow(task, tasks[(i + 1) % tasks.length]!.canonical_solution));
}
