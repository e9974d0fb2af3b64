/**
 * The screens a sample passes before export (issue 10), for the screening step (screenStage.ts):
 *
 * - `screenSample(sample, index)`: its findings: HumanEval/MBPP contamination (shared normalised n-grams,
 *   near-duplicate code) and secrets and personal data (masked excerpts);
 * - `redact(sample, findings)`: the sample with the secrets and personal data those findings name
 *   replaced by placeholders (code still parses);
 * - `loadBenchmarkIndex()`: the index, built at build time, decoded once (Node tests build it with
 *   `buildBenchmarkIndex(benchmarkItems(humanEvalJsonl, mbppJsonl))`, the same function the build uses);
 * - the Python version a sample needs: `PythonPort.pythonVersion([sample.response, ...sample.tests])`
 *   (workers/python/harness/semiverse_version.py), the oldest of 3.8–3.14 whose grammar accepts them all.
 */
export { screenSample } from './screenSample.ts';
export { redact } from './redact.ts';
export { loadBenchmarkIndex } from './loadBenchmarkIndex.ts';
export {
  benchmarkItems,
  buildBenchmarkIndex,
  CODE_N,
  RENAMED_N,
  TEXT_N,
  type Benchmark,
  type BenchmarkIndex,
  type BenchmarkItem,
} from './benchmarkIndex.ts';
export { benchmarkFindings, NEAR_DUPLICATE } from './decontaminate.ts';
export { secretFindings } from './secrets.ts';
export { decodeBenchmarkIndex, encodeBenchmarkIndex, type EncodedBenchmarkIndex } from './indexCodec.ts';
