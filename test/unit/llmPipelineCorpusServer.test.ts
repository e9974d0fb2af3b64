/**
 * The corpus of llmPipelineCorpus.test.ts (40 HumanEval + 40 MBPP reference solutions, real Python, scripted
 * competent model) as an OpenAI-compatible server serves it: four requests in flight, three completions per
 * request (n, sharing the prompt) and answers continued from a prefilled opener or code fence. The same
 * drops, the same checks (corpusCheck.ts); and the requests went out as that engine allows.
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

describe('the LLM pipeline on 40 HumanEval and 40 MBPP reference solutions, served by a server', () => {
  it('four in flight, n = 3, prefill: the funnel adds up, every drop is explained, the exported tests pass natively', async () => {
    // A millisecond a token, so that requests take time and overlap as they do on a server.
    const run = await runCorpus(corpus, pair, { concurrency: 4, maxChoices: 3, continuesAssistant: true }, 1);
    expect(run.end).toBe('done');
    expect((await run.project.project()).notice).toBeNull();
    expect(funnelProblems(run.rows, run.ids.length, true)).toEqual([]);
    expect(unexplained(run, true)).toEqual([]);
    const accepted = run.rows.at(-1)!.kept;
    expect(accepted).toBeGreaterThanOrEqual(run.ids.length - Object.keys(KNOWN_DROPS).length);
    expect(accepted / run.ids.length).toBeGreaterThan(0.9);

    // The engine's limits held, and were used: several requests at once, n > 1, prefilled answers.
    expect(run.llm.maxInFlight).toBeLessThanOrEqual(4);
    expect(run.llm.maxInFlight).toBeGreaterThan(1);
    const requests = run.llm.requests.map((r) => r.request);
    expect(requests.every((r) => (r.n ?? 1) <= 3)).toBe(true);
    expect(requests.filter((r) => r.n === 3).length).toBeGreaterThan(0);
    const prefilled = (stage: string) =>
      run.llm.requests.filter((r) => r.stage === stage && r.request.messages.at(-1)!.role === 'assistant').length;
    expect(prefilled('instruct')).toBe(run.llm.requestsFor('instruct').length);
    expect(prefilled('solve')).toBe(run.llm.requestsFor('solve').length);
    expect(run.llm.requests.every((r) => r.outcome === 'ok')).toBe(true);

    const exported = await checkExported(run);
    console.info(
      `${exported.samples} samples, ${exported.tests} exported tests, ${exported.withDoctests} with doctests`,
    );
    expect(exported.samples).toBe(accepted);
    expect(exported.mismatches).toEqual([]);
    expect(exported.solutionFailures).toEqual([]);
    expect(exported.originalFailures).toEqual([]);
    await run.project.dispose();
  }, 1_200_000);
});
