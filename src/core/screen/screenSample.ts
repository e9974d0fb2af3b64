/**
 * One sample's screening, as the screening step stores it: benchmark contamination (decontaminate.ts),
 * then secrets and personal data (secrets.ts). Pure and synchronous: ~1 ms for a sample of a few hundred
 * lines, so the step can run it between other work without a worker.
 */
import type { Finding, Sample } from '../../domain/dataset.ts';
import type { BenchmarkIndex } from './benchmarkIndex.ts';
import { benchmarkFindings } from './decontaminate.ts';
import { secretFindings } from './secrets.ts';

export function screenSample(
  sample: Pick<Sample, 'instruction' | 'response' | 'tests'>,
  index: BenchmarkIndex,
): Finding[] {
  return [...benchmarkFindings(sample, index), ...secretFindings(sample)];
}
