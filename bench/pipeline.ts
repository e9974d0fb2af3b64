/**
 * `npm run bench:pipeline [-- --functions N] [--runs 1x2,1x8,8x8,8x32] [--pool N] [--mutants N]
 * [--python-order fifo|short-first] [--only a,b]`: does the engine ever wait on the pipeline? The whole
 * pipeline (runProject: ingest, extraction, doctests, the LLM stages) on a corpus of HumanEval and MBPP
 * functions (bench/pipelineCorpus.ts), with a scripted model that takes a fixed time per generated token on
 * a clock of its own (the GPU's stand-in, bench/clockedEngine.ts), Python on worker threads as in the
 * browser (bench/threadPython.ts) and storage on fake-indexeddb. Each run (`CxM`: C requests at once, M ms
 * per generated token) prints the LLM phase's wall time next to its named baseline, the engine's busy time
 * in the same run (at least one request generating), their ratio (aim: at most 1.05), where the engine's
 * idle time went (bench/engineTimeline.ts), and the LLM tokens and requests spent per accepted sample. See
 * bench/README.md.
 *
 * `--mutants` replaces the oracle's number of mutants; `--python-order short-first` lets quick Python calls
 * overtake mutant passes (an experiment: the app's pool takes calls in order); `--only` runs only the named
 * functions (to look into one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from '../test/builders/fsFolder.ts';
import { benchmarkCorpus, type CorpusTask } from './pipelineCorpus.ts';
import { report, summary } from './pipelineReport.ts';
import { runPipeline, type RunResult } from './pipelineRun.ts';
import { ThreadPython, type CallOrder } from './threadPython.ts';

type Options = {
  functions: number;
  /** Engine set-ups, in order: requests at once and milliseconds per generated token. */
  runs: { concurrency: number; msPerToken: number }[];
  pool: number;
  mutants: number | undefined;
  /** Which waiting Python call goes next (threadPython.ts). */
  order: CallOrder;
  /** Only these entry points (to look into one function's cost). */
  only: string[] | null;
};

function parseArgs(argv: string[]): Options {
  const options: Options = {
    functions: 60,
    runs: parseRuns('1x2,1x8,8x8,8x32'),
    pool: Math.min(6, availableParallelism()),
    mutants: undefined,
    only: null,
    order: 'fifo',
  };
  const numbers = (arg: string, text: string | undefined): number[] => {
    const list = (text ?? '').split(',').map(Number);
    if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n <= 0))
      throw new Error(`${arg} wants positive numbers, e.g. 1,4`);
    return list;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--functions') options.functions = numbers(arg, argv[++i])[0]!;
    else if (arg === '--runs') options.runs = parseRuns(argv[++i] ?? '');
    else if (arg === '--pool') options.pool = Math.round(numbers(arg, argv[++i])[0]!);
    else if (arg === '--python-order') options.order = callOrder(argv[++i]);
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',');
    else if (arg === '--mutants') options.mutants = Math.max(0, Math.round(Number(argv[++i])));
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** `1x2,8x32`: one request at a time at 2 ms per token, then 8 at once at 32 ms per token. */
function parseRuns(text: string): Options['runs'] {
  return text.split(',').map((run) => {
    const [concurrency, msPerToken] = run.split('x').map(Number);
    if (!Number.isInteger(concurrency) || concurrency! < 1 || !(msPerToken! > 0))
      throw new Error(`--runs wants e.g. 1x2,8x32 (requests at once x ms per token), not ${run}`);
    return { concurrency: concurrency!, msPerToken: msPerToken! };
  });
}

function callOrder(text: string | undefined): CallOrder {
  if (text === 'fifo' || text === 'short-first') return text;
  throw new Error(`--python-order wants fifo or short-first, not ${text}`);
}

/** `n` tasks spread evenly over the corpus (HumanEval first, then MBPP), so both are in any subset. */
function spread(tasks: CorpusTask[], n: number): CorpusTask[] {
  if (n >= tasks.length) return tasks;
  return Array.from({ length: n }, (_, i) => tasks[Math.floor((i * tasks.length) / n)]!);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg()[0]!.toFixed(2);
  console.log(`starting Python: ${options.pool} worker threads, and 1 for rechecks (another hash seed) ...`);
  const [python, recheck] = await Promise.all([
    ThreadPython.start(options.pool, 0, options.order),
    ThreadPython.start(1, 1, options.order),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'semiverse-bench-pipeline-'));
  try {
    console.log("building the corpus (HumanEval + MBPP, with the scripted model's answers) ...");
    const all = await benchmarkCorpus(python);
    const tasks = options.only
      ? all.filter((t) => options.only!.includes(t.fn.entryPoint))
      : spread(all, options.functions);
    await writeFiles(dir, Object.fromEntries(tasks.map((t) => [t.path, t.source])));
    const results: RunResult[] = [];
    for (const { concurrency, msPerToken } of options.runs) {
      console.log(`\nrunning: ${concurrency} in flight, ${msPerToken} ms per token ...`);
      const db = `bench-pipeline-${concurrency}-${msPerToken}-${Date.now()}`;
      const setup = { dir, tasks, concurrency, msPerToken, python, recheck, db, mutants: options.mutants };
      const result = await runPipeline(setup);
      console.log(report(result));
      results.push(result);
    }
    const he = tasks.filter((t) => t.id.startsWith('HumanEval')).length;
    const header = [
      `machine: ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
        `load average ${loadBefore} at start, ${loadavg()[0]!.toFixed(2)} at end; Node ${process.version}`,
      `corpus: ${tasks.length} of the ${all.length} usable tasks (${he} HumanEval, ${tasks.length - he} MBPP), one file each; ` +
        `Python: ${options.pool} worker threads + 1 for rechecks, calls taken ${options.order}; storage: fake-indexeddb`,
    ];
    console.log(`\n${header.join('\n')}\n\n${summary(results)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    python.dispose();
    recheck.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
