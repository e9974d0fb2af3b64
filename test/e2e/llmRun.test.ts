/**
 * An LLM run through the UI in headless Chromium: an OpenAI-compatible server on loopback answers every
 * stage's requests for a small folder (scripted per function, as a model that knows the answers would),
 * connected through the engine panel; the folder is dropped, the run goes through the LLM stages to
 * "done", the funnel adds up, a function's record can be inspected, the table filters by LLM verdict, and
 * every LLM sample of the JSONL passes its tests with native CPython, after the exported response and
 * after the original code.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusScenario, type ScriptedFunction } from '../builders/corpusLlm.ts';
import { makeTempDir, writeFiles } from '../builders/fsFolder.ts';
import { runNatively } from '../builders/nativeTests.ts';
import { scenarioRules, startOpenAiServer, type OpenAiServer } from '../builders/openaiServer.ts';
import { chooseFolder, downloadJsonl, openApp, readStats, waitForStatus, type Session } from './support/app.ts';
import { connectServer, readFunnel } from './support/llm.ts';

const MATHY = `def add(a, b):
    return a + b


def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def scale(xs, k):
    return [x * k for x in xs]


def double(x):
    """Twice x.

    >>> double(4)
    8
    """
    return 2 * x


class Box:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v
`;

const MODEL: ScriptedFunction[] = [
  {
    entryPoint: 'add',
    instructions: ['Python function `add(a, b)` that returns the sum of its two arguments.'],
    cases: [
      ['1', '2'],
      ['-1', '1'],
      ['0', '0'],
      ["'a'", "'b'"],
    ],
    solution: 'def add(a, b):\n    return a + b',
  },
  {
    entryPoint: 'clamp',
    instructions: ['Python function `clamp(x, lo, hi)` that returns lo when x < lo, else hi when x > hi, else x.'],
    cases: [
      ['5', '0', '10'],
      ['-5', '0', '10'],
      ['15', '0', '10'],
      ['0', '0', '0'],
    ],
    solution: 'def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    return hi if x > hi else x',
  },
  {
    entryPoint: 'scale',
    instructions: ['Python function `scale(xs, k)` that multiplies every number of the list xs by k.'],
    cases: [
      ['[1, 2]', '3'],
      ['[]', '5'],
      ['[0.5]', '2'],
      ['[-1, 4, 9]', '-1'],
    ],
    solution: 'def scale(xs, k):\n    return [x * k for x in xs]',
  },
  {
    entryPoint: 'double',
    instructions: ['Python function `double(x)` that returns twice its argument.'],
    cases: [['4'], ['0'], ['-3'], ['2.5']],
    solution: 'def double(x):\n    return x * 2',
  },
];

let llm: OpenAiServer;
let dir: string;
let session: Session | null = null;

beforeAll(async () => {
  llm = await startOpenAiServer({
    models: ['coder-test'],
    rules: scenarioRules(corpusScenario(MODEL, { engine: 'openai' })),
    tokenDelayMs: 1,
  });
  dir = await makeTempDir('semiverse-llm-e2e-');
  await writeFiles(dir, { 'mathy.py': MATHY });
});
afterAll(async () => {
  await session?.close();
  await llm?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an LLM run through the UI', () => {
  it('generates verified samples from a folder without doctests, and exports them', async () => {
    session = await openApp();
    const { page } = session;
    const ready = await connectServer(page, `${llm.url}/v1`, 'coder-test');
    expect(ready).toMatch(/^Ready: coder-test/);
    await page.click('[data-testid=engine-toggle]'); // close the panel

    await chooseFolder(page, dir);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=run-status]')?.textContent === 'generating',
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    await waitForStatus(page, 'done');

    const stats = await readStats(page);
    expect(stats.functions).toBe(6);
    expect(stats.passed).toBe(1); // double's doctest
    // The last read of the funnel comes as the run ends.
    await page.waitForFunction(
      () => /Verify 4 in 4 kept/.test(document.querySelector('[data-testid=funnel]')?.textContent ?? ''),
      undefined,
      { timeout: 20_000, polling: 100 },
    );
    const { stages, reasons, text } = await readFunnel(page);
    console.info(`funnel: ${text}`);
    expect(stages.select).toEqual({ in: 6, kept: 4, dropped: 2, pending: 0 });
    expect(reasons['needs-instance']).toBe(2);
    for (const [stage, counts] of Object.entries(stages)) {
      expect(counts.in, stage).toBe(counts.kept + counts.dropped + counts.pending);
    }
    expect(stages.verify).toEqual({ in: 4, kept: 4, dropped: 0, pending: 0 });
    expect(await page.textContent('[data-testid=llm-speed]')).toMatch(/tokens per accepted sample/);
    expect(await page.textContent('[data-testid=project-settings]')).toMatch(/5 candidates/);

    // The table shows each row's verdict and filters by it; a row opens its LLM record.
    await page.selectOption('[data-testid=llm-verdict-filter]', 'accepted');
    await expect.poll(() => page.locator('[data-testid=function-row]').count()).toBe(4);
    await page.selectOption('[data-testid=llm-verdict-filter]', 'dropped');
    await expect
      .poll(() => page.locator('[data-testid=llm-verdict]').allTextContents())
      .toEqual(['✗ Select: needs-instance', '✗ Select: needs-instance']);
    await page.selectOption('[data-testid=llm-verdict-filter]', 'all');
    await page.locator('[data-testid=function-row]', { hasText: 'clamp' }).click();
    const record = page.locator('[data-testid=pipeline-record]');
    await expect.poll(() => record.isVisible()).toBe(true);
    expect(await record.locator('[data-testid=candidates]').textContent()).toMatch(/chosen\s*P\(Yes\) 0\.\d{3}/);
    expect(await record.locator('[data-testid=oracle-cases]').textContent()).toMatch(
      /clamp\(-?\d+, -?\d+, -?\d+\)\s*→\s*-?\d+\s*lines \d/,
    );
    expect(await record.locator('[data-testid=verify-verdict]').textContent()).toMatch(
      /Passed (\d+) of \1 tests \(100 %\)/,
    );
    expect(await record.locator('[data-testid=llm-calls] details').count()).toBeGreaterThanOrEqual(3);
    const screenshot = process.env['SEMIVERSE_SCREENSHOT'];
    if (screenshot) {
      await page.screenshot({ path: screenshot, fullPage: true });
      await page.$eval('[data-testid=function-detail]', (el) => {
        const record = el.querySelector('[data-testid=pipeline-record]')!;
        el.scrollTop += record.getBoundingClientRect().top - el.getBoundingClientRect().top;
      });
      await page
        .locator('[data-testid=function-detail]')
        .screenshot({ path: screenshot.replace(/\.png$/, '-inspector.png') });
    }

    const { records } = await downloadJsonl(page);
    expect(await page.textContent('[data-testid=export-summary]')).toBe('Wrote 5 lines: 1 natural, 4 LLM.');
    const samples = records as unknown as Record<string, unknown>[];
    const natural = samples.filter((r) => r['method'] === 'natural-doctest');
    const generated = samples.filter((r) => r['method'] === 'inverse-semi') as unknown as LlmLine[];
    expect(natural).toHaveLength(1);
    expect(generated.map((r) => r.entry_point).sort()).toEqual(['add', 'clamp', 'double', 'scale']);
    for (const line of generated) {
      expect(line.model).toEqual({ engine: 'openai', id: 'coder-test' });
      expect(line.scores.yes_prob).toBeGreaterThan(0.5);
      expect(line.scores.round_trip_pass_rate).toBe(1);
      expect(line.source.path).toBe('mathy.py');
      expect(line.tests.length).toBeGreaterThan(0);
    }
    // Every test passes with native CPython after the exported response and after the original code.
    const suites = generated.flatMap((line) => [
      { program: line.response, tests: line.tests },
      { program: line.source.original_code, tests: line.tests },
    ]);
    const runs = runNatively(suites);
    runs.forEach((run, i) => {
      const line = generated[Math.floor(i / 2)]!;
      const what = `${line.entry_point} after ${i % 2 === 0 ? 'the response' : 'the original'}`;
      expect(run.program, what).toBeNull();
      expect(run.tests, what).toEqual(line.tests.map(() => null));
    });

    // Fewer candidates: saved for new runs; the project keeps what it ran with until "Run with" applies them,
    // redoing only the stages whose configuration changed.
    const chats = () => llm.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions').length;
    const before = chats();
    await page.click('[data-testid=stage-settings] summary');
    await page.fill('[data-setting="instruct.k"]', '3');
    await page.press('[data-setting="instruct.k"]', 'Tab');
    await page.click('[data-testid=stage-settings-save]');
    await expect.poll(() => page.locator('[data-testid=run-with]').isVisible()).toBe(true);
    expect(await page.textContent('[data-testid=project-settings]')).toMatch(/^5 candidates/);
    await page.click('[data-testid=run-with]');
    await expect.poll(() => page.textContent('[data-testid=project-settings]')).toMatch(/^3 candidates/);
    await waitForStatus(page, 'done');
    await page.waitForFunction(
      () => /Verify 4 in 4 kept/.test(document.querySelector('[data-testid=funnel]')?.textContent ?? ''),
      undefined,
      { timeout: 20_000, polling: 100 },
    );
    expect(chats()).toBeGreaterThan(before);
    expect(await page.locator('[data-testid=run-with]').count()).toBe(0);
    await page.reload();
    await page.click('[data-testid=stage-settings] summary');
    expect(await page.inputValue('[data-setting="instruct.k"]')).toBe('3');
  });
});

type LlmLine = {
  method: 'inverse-semi';
  instruction: string;
  response: string;
  tests: string[];
  entry_point: string;
  scores: { yes_prob: number; yes_prob_estimated: boolean; round_trip_pass_rate: number; line_coverage: number | null };
  model: { engine: string; id: string };
  fingerprint: string;
  source: {
    project: string;
    path: string;
    start_line: number;
    end_line: number;
    sha256: string;
    original_code: string;
  };
};
