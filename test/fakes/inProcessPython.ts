/**
 * A PythonPort that runs the real harness in this Node process (no worker, so no time limits and no
 * respawn after a fatal error): for tests of the pipeline around the runner. The browser's pool, with its
 * sandbox, is tested in Chromium. Outcomes are mapped exactly as the pool maps them (adapters/python/settle).
 */
import type { PythonPort } from '../../src/core/ports.ts';
import { toCasesResult, toMutateResult } from '../../src/adapters/python/settle.ts';
import type { CasesJob, CasesResult, MutateJob, MutateResult } from '../../src/domain/cases.ts';
import type { EntryInfo, Mutant, MutantRuns, MutantsJob } from '../../src/domain/pipeline.ts';
import {
  toCallResult,
  toEntryInfo,
  toMutantRuns,
  toMutants,
  toExtractReply,
  toRunOutcome,
  toRuntime,
} from '../../src/adapters/python/settle.ts';
import type { ExtractReply, ExtractRequest } from '../../src/domain/extract.ts';
import type { CallJob, CallResult } from '../../src/domain/run.ts';
import type { DoctestJob, RunOutcome, TestsJob } from '../../src/domain/verify.ts';
import type { Runner, Settled } from '../../workers/python/runner.ts';
import { toNormaliseReply } from '../../src/adapters/python/settle.ts';
import { toPythonVersion } from '../../src/adapters/python/settle.ts';
import type { NormaliseJob, NormaliseReply } from '../../src/domain/dataset.ts';

export class InProcessPython implements PythonPort {
  readonly size = 2;
  unavailable: string | null = null;
  calls = 0;

  constructor(private readonly runner: Runner) {}

  async extract(request: ExtractRequest, signal?: AbortSignal): Promise<ExtractReply> {
    return toExtractReply(await this.#call(() => this.runner.extract(request), signal));
  }

  async runDoctest(job: DoctestJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return toRunOutcome(await this.#call(() => this.runner.runDoctest(job), signal), limitMs);
  }

  async runTests(job: TestsJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return toRunOutcome(await this.#call(() => this.runner.runTests(job), signal), limitMs);
  }

  async runCall(job: CallJob, limitMs: number, signal?: AbortSignal): Promise<CallResult> {
    return toCallResult(await this.#call(() => this.runner.runCall(job), signal), limitMs);
  }

  async runCases(job: CasesJob, limitMs: number, signal?: AbortSignal): Promise<CasesResult> {
    return toCasesResult(await this.#call(() => this.runner.runCases(job), signal), limitMs, job.cases.length);
  }

  async mutateCases(job: MutateJob, signal?: AbortSignal): Promise<MutateResult> {
    return toMutateResult(await this.#call(() => this.runner.mutateCases(job), signal), 60_000);
  }

  async describeEntry(program: string, entryPoint: string, signal?: AbortSignal): Promise<EntryInfo> {
    return toEntryInfo(await this.#call(() => this.runner.describeEntry({ program, entryPoint }), signal));
  }

  async pythonVersion(sources: readonly string[], signal?: AbortSignal): Promise<string | null> {
    return toPythonVersion(await this.#call(() => this.runner.pythonVersion({ sources: [...sources] }), signal));
  }

  async normalise(job: NormaliseJob, signal?: AbortSignal): Promise<NormaliseReply> {
    return toNormaliseReply(await this.#call(() => this.runner.normalise(job), signal), job.linenos.length);
  }

  async mutants(program: string, entryPoint: string, limit: number, signal?: AbortSignal): Promise<Mutant[]> {
    return toMutants(await this.#call(() => this.runner.mutants({ program, entryPoint, limit }), signal));
  }

  async runMutants(job: MutantsJob, limitMs: number, signal?: AbortSignal): Promise<MutantRuns> {
    return toMutantRuns(await this.#call(() => this.runner.runMutants(job), signal), limitMs, job);
  }

  async runtime(signal?: AbortSignal): Promise<string> {
    return toRuntime(await this.#call(() => this.runner.runtime(), signal));
  }

  dispose(): void {}

  retry(): void {
    this.unavailable = null;
  }

  async #call(call: () => Settled, signal?: AbortSignal): Promise<Settled> {
    signal?.throwIfAborted();
    this.calls += 1;
    await Promise.resolve(); // let other lanes interleave, as with a real pool
    return call();
  }
}
