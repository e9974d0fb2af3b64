/**
 * A PythonPort that runs the real harness in this Node process (no worker, so no time limits): for tests
 * of the pipeline around the runner. The browser's pool is tested in Chromium.
 */
import { parseExtractReply } from '../../src/core/extract/parseExtractReply.ts';
import type { PythonPort } from '../../src/core/ports.ts';
import { parseRunOutcome } from '../../src/core/verify/parseRunOutcome.ts';
import type { ExtractReply, ExtractRequest } from '../../src/domain/extract.ts';
import type { DoctestJob, RunOutcome, TestsJob } from '../../src/domain/verify.ts';
import type { Runner, Settled } from '../../workers/python/runner.ts';

export class InProcessPython implements PythonPort {
  readonly size = 2;
  unavailable: string | null = null;
  calls = 0;

  constructor(private readonly runner: Runner) {}

  async extract(request: ExtractRequest, signal?: AbortSignal): Promise<ExtractReply> {
    const settled = await this.#call(() => this.runner.extract(request), signal);
    if (settled.kind !== 'reply')
      return { ok: false, error: { kind: 'Crashed', line: null, column: null, message: settled.kind } };
    return parseExtractReply(settled.value);
  }

  runDoctest(job: DoctestJob, _limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return this.#outcome(() => this.runner.runDoctest(job), signal);
  }

  runTests(job: TestsJob, _limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return this.#outcome(() => this.runner.runTests(job), signal);
  }

  dispose(): void {}

  retry(): void {
    this.unavailable = null;
  }

  async #outcome(call: () => Settled, signal?: AbortSignal): Promise<RunOutcome> {
    const settled = await this.#call(call, signal);
    if (settled.kind !== 'reply') return { status: 'crashed', detail: settled.kind };
    return parseRunOutcome(settled.value);
  }

  async #call(call: () => Settled, signal?: AbortSignal): Promise<Settled> {
    signal?.throwIfAborted();
    this.calls += 1;
    await Promise.resolve(); // let other lanes interleave, as with a real pool
    return call();
  }
}
