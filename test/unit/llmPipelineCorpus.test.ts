/**
 * The LLM pipeline on real code: the first 40 HumanEval and 40 MBPP reference solutions (benchmarkCorpus.ts),
 * with a scripted model that answers each function's requests the way a competent model would (the task's
 * own words, the arguments of the benchmark's own test calls, the reference solution). Real ingest and
 * extraction, real Python with time limits (deadlinePython.ts: mutated inputs do loop for ever, e.g.
 * HumanEval/39 prime_fib past n = 11), storage on fake-indexeddb; default pipeline settings.
 *
 * One request at a time (an engine that serves one, like web-llm, posing as a server). The same corpus
 * with four requests in flight, n completions per request and a prefilled answer is
 * llmPipelineCorpusServer.test.ts; what both assert is in corpusCheck.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkCorpus, type BenchmarkCorpus } from '../builders/benchmarkCorpus.ts';
import { checkExported, KNOWN_DROPS, runCorpus, unexplained } from '../builders/corpusCheck.ts';
import { deadlinePython, type PythonPair } from '../builders/deadlinePython.ts';
import { funnelProblems } from '../builders/llmProject.ts';

/**
 * Limits above this are cut to it. Hanging inputs stop at their own per-case budget (semiverse_deadline.py)
 * and a batch goes on; only a batch stuck in a long C call would reach this.
 */
const CAP_MS = 10_000;

let pair: PythonPair;
let corpus: BenchmarkCorpus;
beforeAll(async () => {
  corpus = benchmarkCorpus();
  pair = await deadlinePython(CAP_MS);
});
afterAll(async () => {
  await pair?.dispose();
});

describe('the LLM pipeline on 40 HumanEval and 40 MBPP reference solutions', () => {
  it('one request at a time: the funnel adds up, every drop is explained, the exported tests pass natively', async () => {
    expect(corpus.tasks).toHaveLength(80);
    const run = await runCorpus(corpus, pair, { concurrency: 1, maxChoices: 1, continuesAssistant: false });
    expect(run.end).toBe('done');
    expect((await run.project.project()).notice).toBeNull();
    expect(funnelProblems(run.rows, run.ids.length, true)).toEqual([]);
    expect(run.rows[0]!.in).toBe(run.ids.length);
    expect(unexplained(run, false)).toEqual([]);
    const accepted = run.rows.at(-1)!.kept;
    expect(accepted).toBeGreaterThanOrEqual(run.ids.length - Object.keys(KNOWN_DROPS).length);
    expect(accepted / run.ids.length).toBeGreaterThan(0.9);
    expect(run.llm.maxInFlight).toBe(1);

    const exported = await checkExported(run);
    console.info(
      `${exported.samples} samples, ${exported.tests} exported tests, ${exported.withDoctests} with doctests`,
    );
    expect(exported.samples).toBe(accepted);
    expect(exported.mismatches).toEqual([]);
    expect(exported.withDoctests).toBeGreaterThan(10);
    expect(exported.solutionFailures).toEqual([]);
    expect(exported.originalFailures).toEqual([]);
    await run.project.dispose();
  }, 1_200_000);
});
