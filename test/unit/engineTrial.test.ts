/** Trying the engine: the answer streams in batched per frame, stopping keeps what was written, failures show. */
import { describe, expect, it } from 'vitest';
import { EngineTrial } from '../../src/state/engineTrial.svelte.ts';
import { loadScenario } from '../fakes/llmScenario.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';

/** A frame clock the test turns by hand, and how many renders (frames) it took. */
function manualFrames() {
  const queue: (() => void)[] = [];
  return {
    frame: (callback: () => void) => void queue.push(callback),
    tick: () => queue.splice(0).forEach((callback) => callback()),
    get waiting() {
      return queue.length;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('trying the engine', () => {
  it('streams the answer, at most one update per frame, and ends with the whole text and its usage', async () => {
    const llm = new ScriptedLlm(loadScenario('slow-stream'));
    const frames = manualFrames();
    const trial = new EngineTrial(frames.frame);
    const running = trial.run(llm, 'fib?');
    expect(trial.state).toBe('running');
    await sleep(120);
    expect(frames.waiting).toBe(1); // several pieces arrived, one render is scheduled
    expect(trial.text).toBe('');
    frames.tick();
    const shown = trial.text;
    expect(shown.length).toBeGreaterThan(0);
    expect('Write a python function that returns the n-th Fibonacci number, counting from zero.').toContain(shown);
    await running;
    expect(trial.state).toBe('done');
    expect(trial.text).toBe('Write a python function that returns the n-th Fibonacci number, counting from zero.');
    expect(trial.result?.usage.completionTokens).toBeGreaterThan(0);
    expect(llm.requests[0]?.request.temperature).toBe(0);
  });

  it('stopping keeps what was written and is not a failure', async () => {
    const llm = new ScriptedLlm(loadScenario('slow-stream'));
    const trial = new EngineTrial((callback) => callback());
    const running = trial.run(llm, 'fib?');
    await sleep(80);
    trial.stop();
    await running;
    expect(trial.state).toBe('stopped');
    expect(trial.problem).toBeNull();
    expect(trial.text.length).toBeGreaterThan(0);
    expect(trial.text.length).toBeLessThan(40);
    expect(llm.requests[0]?.outcome).toBe('aborted');
  });

  it('shows an engine failure with what to do', async () => {
    const llm = new ScriptedLlm(loadScenario('device-lost-then-recover'));
    const trial = new EngineTrial((callback) => callback());
    await trial.run(llm, 'anything');
    expect(trial.state).toBe('failed');
    expect(trial.problem?.code).toBe('device-lost');
    expect(trial.problem?.action.length).toBeGreaterThan(0);
  });
});
