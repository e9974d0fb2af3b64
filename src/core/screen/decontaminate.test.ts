/**
 * The decontamination screen on real benchmark data: every HumanEval and MBPP task planted in six ways
 * (caught at least as often as by the substring check Magicoder and SelfCodeAlign use, with the rates
 * printed), and code that copies no task (the standard library's functions) left alone.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderFromZip } from '../../adapters/files/zip.ts';
import { ingestFolder } from '../ingest/walk.ts';
import {
  benchmarkText,
  humanEval,
  mbpp,
  type HumanEvalTask,
  type MbppTask,
} from '../../../test/builders/benchmarks.ts';
import { DISTINCT_FUNCTIONS } from '../../../test/builders/distinctFunctions.ts';
import { nativeCompiles, nativePythonFor } from '../../../test/builders/nativeCompile.ts';
import {
  humanEvalAsserts,
  humanEvalProse,
  reformat,
  renameVariables,
  reworded,
  substringMatch,
  substringNeedles,
  withoutDocstring,
  type Planted,
} from '../../../test/builders/plantedCopies.ts';
import { benchmarkItems, buildBenchmarkIndex, type BenchmarkIndex } from './benchmarkIndex.ts';
import { benchmarkFindings } from './decontaminate.ts';

let index: BenchmarkIndex;
let needles: string[];
const he: HumanEvalTask[] = humanEval();
const mb: MbppTask[] = mbpp();
const taskIdOf = (task: HumanEvalTask | MbppTask) =>
  typeof task.task_id === 'number' ? `MBPP/${task.task_id}` : task.task_id;

beforeAll(() => {
  index = buildBenchmarkIndex(benchmarkItems(benchmarkText('HumanEval.jsonl'), benchmarkText('mbpp_sanitized.jsonl')));
  needles = substringNeedles(he, mb);
});

const NOTHING: Planted = { instruction: 'Implement the function.', response: '', tests: [] };

/** Solutions as a sample would carry them: HumanEval's signature and body without its docstring. */
const solution = (task: HumanEvalTask | MbppTask): string =>
  'code' in task ? task.code : withoutDocstring(task.prompt) + task.canonical_solution;

type Variant = { name: string; plant: (task: HumanEvalTask | MbppTask) => Planted | null };

const VARIANTS: Variant[] = [
  { name: 'verbatim solution', plant: (task) => ({ ...NOTHING, response: solution(task) }) },
  { name: 'renamed variables', plant: (task) => ({ ...NOTHING, response: renameVariables(solution(task)) }) },
  { name: 'reformatted', plant: (task) => ({ ...NOTHING, response: reformat(solution(task)) }) },
  {
    name: 'renamed and reformatted',
    plant: (task) => ({ ...NOTHING, response: reformat(renameVariables(solution(task))) }),
  },
  {
    name: 'reworded task statement',
    plant: (task) => {
      const statement = 'text' in task ? task.text : humanEvalProse(task);
      return statement.split(/\s+/).length >= 13 ? { ...NOTHING, instruction: reworded(statement) } : null;
    },
  },
  {
    name: 'tests rewritten as asserts',
    plant: (task) => ({
      ...NOTHING,
      tests: 'code' in task ? task.test_list.map((t) => reformat(t).trim()) : humanEvalAsserts(task),
    }),
  },
];

function rates(variant: Variant, tasks: (HumanEvalTask | MbppTask)[]) {
  let planted = 0;
  let ours = 0;
  let substring = 0;
  const missed: string[] = [];
  for (const task of tasks) {
    const sample = variant.plant(task);
    if (!sample) continue;
    planted++;
    const hit = benchmarkFindings(sample, index).some((f) => f.taskId === taskIdOf(task));
    if (hit) ours++;
    else missed.push(taskIdOf(task));
    if (substringMatch(needles, sample)) substring++;
  }
  return { planted, ours: ours / planted, substring: substring / planted, missed };
}

/**
 * The least share of each variant's planted copies caught, per benchmark (measured: verbatim and
 * reformatted 100 %; renamed 95 % of HumanEval, 87 % of MBPP, where the rest are one-liners a renamed
 * 18-gram cannot hold; tests rewritten as asserts 85 % and 61 %: MBPP's tests are mostly numbers, which
 * are not indexed, see MIN_WORDS). A floor under what was measured, so a change that loses copies fails.
 */
const FLOORS: Record<string, { HumanEval: number; MBPP: number }> = {
  'verbatim solution': { HumanEval: 1, MBPP: 1 },
  'renamed variables': { HumanEval: 0.93, MBPP: 0.85 },
  reformatted: { HumanEval: 1, MBPP: 1 },
  'renamed and reformatted': { HumanEval: 0.93, MBPP: 0.85 },
  'reworded task statement': { HumanEval: 0.98, MBPP: 0.98 },
  'tests rewritten as asserts': { HumanEval: 0.8, MBPP: 0.55 },
};

describe('planted benchmark copies', () => {
  it('are caught where substring matching misses them', () => {
    const report: string[] = [];
    const shortfalls: string[] = [];
    for (const variant of VARIANTS) {
      for (const [name, tasks] of [
        ['HumanEval', he],
        ['MBPP', mb],
      ] as const) {
        const r = rates(variant, tasks);
        report.push(
          `${variant.name.padEnd(26)} ${name.padEnd(9)} n=${String(r.planted).padStart(3)}  ours ${pct(r.ours)}  ` +
            `substring ${pct(r.substring)}  missed ${r.missed.slice(0, 6).join(' ')}`,
        );
        if (r.ours < FLOORS[variant.name]![name]) shortfalls.push(`${variant.name} ${name}: ${pct(r.ours)}`);
        if (r.ours < r.substring) shortfalls.push(`${variant.name} ${name}: substring matching catches more`);
      }
    }
    console.log(`catch rate on planted copies (ours vs substring matching)\n${report.join('\n')}`);
    expect(shortfalls).toEqual([]);
  });

  it('are caught whole when too short for a 13-gram, and only whole', () => {
    const task = mb.find((t) => t.task_id === 62)!; // def smallest_num(xs): return min(xs)
    const found = (response: string) =>
      benchmarkFindings({ ...NOTHING, response }, index).filter((f) => f.taskId === 'MBPP/62');
    expect(found(task.code)).toMatchObject([{ field: 'response', how: { ngram: 11 }, excerpt: task.code.trim() }]);
    expect(found(`import os\n\n\ndef smallest_num(xs) :\n        return min( xs )\n`)).toHaveLength(1);
    // The same start with a longer body, or the same body with another name, is not that function.
    expect(found('def smallest_num(xs):\n  return min(xs) - 1\n')).toEqual([]);
    expect(found('def smallest_num(xs):\n  return min(xs)\n  print(xs)\n')).toEqual([]);
    expect(found('def smallest(xs):\n  return min(xs)\n')).toEqual([]);
  });
});

/**
 * Code that copies no task: the standard library's functions (cut at each `def` line, to the next line
 * no deeper) and the test folders' own functions. At most one function in 500 may share a run with a
 * task (measured: 12 of 13,692, e.g. `maxc = max(r, g, b)\n minc = min(r, g, b)` in colorsys and MBPP/783).
 */
describe('code that copies no task', () => {
  it('is left alone', async () => {
    expect(
      DISTINCT_FUNCTIONS.filter((fn) => benchmarkFindings({ ...NOTHING, response: fn.source }, index).length > 0),
    ).toEqual([]);
    const functions = await stdlibFunctions();
    const flagged = functions.filter((code) => benchmarkFindings({ ...NOTHING, response: code }, index).length > 0);
    console.log(`standard library functions with a finding: ${flagged.length} of ${functions.length}`);
    expect(functions.length).toBeGreaterThan(10_000);
    expect(flagged.length / functions.length).toBeLessThan(1 / 500);
  }, 120_000);
});

async function stdlibFunctions(): Promise<string[]> {
  const zip = createRequire(import.meta.url).resolve('pyodide/python_stdlib.zip');
  const source = await folderFromZip(new Blob([readFileSync(zip)]), 'python_stdlib');
  const functions: string[] = [];
  for await (const event of ingestFolder(source)) {
    if (event.type !== 'file') continue;
    let current: string[] | null = null;
    let indent = -1;
    for (const line of event.file.text.split('\n')) {
      const depth = /^\s*/.exec(line)![0].length;
      const def = /^\s*(?:async\s+)?def\s/.test(line);
      if (current && (def || (line.trim() !== '' && depth <= indent))) {
        functions.push(current.join('\n'));
        current = null;
      }
      if (def) [current, indent] = [[line], depth];
      else current?.push(line);
    }
    if (current) functions.push(current.join('\n'));
  }
  return functions;
}

const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)} %`;

describe('variants are real code', () => {
  it('the renamed and reformatted solutions still compile where the originals do', () => {
    const python = nativePythonFor(12) ?? nativePythonFor(13);
    if (!python) return;
    const tasks = [...he, ...mb];
    const originals = nativeCompiles(python, tasks.map(solution));
    const variants = nativeCompiles(
      python,
      tasks.map((t) => reformat(renameVariables(solution(t)))),
    );
    const broken = tasks.filter((t, i) => originals[i] && !variants[i]).map(taskIdOf);
    expect(broken).toEqual([]);
  });
});
