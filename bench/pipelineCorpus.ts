/**
 * A corpus for the pipeline benchmark: HumanEval's and MBPP's tasks, one file each, with what a competent
 * model would answer about each (bench/corpusModel.ts serves it):
 * - instructions: five, each worded differently, all saying what the task text says (MBPP's text, or
 *   HumanEval's docstring up to its examples); five distinct candidates as a model sampled at 0.8 gives,
 *   so the judge scores five;
 * - probe: the literal positional arguments of the calls in the task's own tests and docstring examples,
 *   topped up to the eight the probe asks for by type-aware mutation of those (a model varies the examples
 *   it sees); at most eight;
 * - solve: the reference solution; judge: P(Yes) 0.9.
 * Only tasks whose program defines exactly one top-level function are taken (the scripted model knows the
 * answers about that function only), one per entry point name (requests are routed by name), and only
 * those whose tests call it with at least one literal argument list. Everything is read with Pyodide's
 * Python (bench/pipeline_corpus.py), so the benchmark needs no native Python.
 *
 * Not test/builders/benchmarkCorpus.ts (the Node tests' corpus): its model gives one instruction and only
 * the tests' own calls, so the instruct stage dedupes its five identical replies to one candidate (one
 * judge request instead of five) and the probe asks twice more for MBPP's three calls; the requests and
 * tokens per sample would not be a competent model's.
 */
import { readFileSync } from 'node:fs';
import { loadPyodide } from 'pyodide';
import type { PythonPort } from '../src/core/ports.ts';
import type { ScriptedFunction } from '../test/builders/corpusLlm.ts';
import { humanEval, mbpp } from '../test/builders/benchmarks.ts';

/** The probe asks for this many argument lists (DEFAULT_PIPELINE_SETTINGS.probe.n). */
const PROPOSALS = 8;

export type CorpusTask = { id: string; path: string; source: string; fn: ScriptedFunction };

type Read = { entryPoint: string; description: string; cases: string[][]; defs: number; params: string } | null;
type Job = {
  id: string;
  program: string;
  tests: string;
  callee: string | null;
  entry: string | null;
  text: string | null;
};

export async function benchmarkCorpus(python: PythonPort): Promise<CorpusTask[]> {
  const jobs: Job[] = [
    ...humanEval().map((t) => ({
      id: t.task_id.replace('/', '_'),
      program: t.prompt + t.canonical_solution,
      tests: t.test,
      callee: 'candidate',
      entry: t.entry_point,
      text: null,
    })),
    ...mbpp().map((t) => ({
      id: `MBPP_${t.task_id}`,
      program: t.code,
      tests: t.test_list.join('\n'),
      callee: null,
      entry: null,
      text: t.text,
    })),
  ];
  const read = await readTasks(jobs);
  const names = new Set<string>();
  const tasks: CorpusTask[] = [];
  for (const [i, found] of read.entries()) {
    if (!found || found.defs !== 1 || found.cases.length === 0 || found.description === '') continue;
    if (names.has(found.entryPoint)) continue;
    names.add(found.entryPoint);
    const job = jobs[i]!;
    const cases = await proposals(python, job.program, found.entryPoint, found.cases);
    const path = `${job.id.startsWith('MBPP') ? 'mbpp' : 'humaneval'}/${job.id.toLowerCase()}_${found.entryPoint}.py`;
    tasks.push({
      id: job.id,
      path,
      source: job.program.endsWith('\n') ? job.program : `${job.program}\n`,
      fn: {
        entryPoint: found.entryPoint,
        instructions: instructions(found.entryPoint, found.params, found.description),
        cases,
        solution: job.program.trim(),
      },
    });
  }
  return tasks;
}

/** Each task's entry point, description and literal calls, read by Python's ast (bench/pipeline_corpus.py). */
async function readTasks(jobs: Job[]): Promise<Read[]> {
  const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  py.globals.set('JOBS', JSON.stringify(jobs));
  const script = readFileSync(new URL('./pipeline_corpus.py', import.meta.url), 'utf8');
  return JSON.parse(py.runPython(script) as string) as Read[];
}

async function proposals(
  python: PythonPort,
  program: string,
  entryPoint: string,
  found: string[][],
): Promise<string[][]> {
  const cases = found.slice(0, PROPOSALS);
  if (cases.length >= PROPOSALS) return cases;
  const grown = await python.mutateCases({
    cases: cases.map((args) => ({ args })),
    program,
    entryPoint,
    count: PROPOSALS - cases.length,
    seed: 7,
  });
  const more = grown.kind === 'mutated' ? grown.cases.filter((c) => !c.kwargs).map((c) => c.args) : [];
  return [...cases, ...more].slice(0, PROPOSALS);
}

function instructions(name: string, params: string, description: string): string[] {
  const d = description.trim().replace(/\s*$/, '');
  const sentence = /[.!?]$/.test(d) ? d : `${d}.`;
  return [
    `Write a Python function \`${name}(${params})\` for the following task. ${sentence}`,
    `Create a function named \`${name}\` that takes (${params}). ${sentence}`,
    `Implement a Python function \`${name}\`: ${sentence}`,
    `Develop a function \`${name}(${params})\`. ${sentence} Handle the edge cases the description implies.`,
    `I want a Python function called \`${name}\`. ${sentence} It should return its result, not print it.`,
  ];
}
