/**
 * What the LLM stages do with replies a model really gives: malformed probe JSON, instructions that are
 * empty, refusals, cut off or pasted code, solutions without code or under another name, low and unclear
 * judge scores, and an engine without log-probabilities. Each function of a purpose-built folder has its own
 * scripted replies (corpusScenario's `override`); each test asserts the exact stage and reason of every drop,
 * and that nothing else was dropped. Real Python (deadlinePython.ts), storage on fake-indexeddb.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedFunction } from '../builders/corpusLlm.ts';
import { deadlinePython, type PythonPair } from '../builders/deadlinePython.ts';
import { runScripted, type ScriptedRun } from '../builders/llmProject.ts';

let pair: PythonPair;
beforeAll(async () => {
  pair = await deadlinePython(1_000);
});
afterAll(async () => {
  await pair?.dispose();
});

const PROGRAMS = [
  'def add_pair(a, b):\n    return a + b\n',
  'def scale(x, k):\n    return x * k\n',
  'def weighted_total(prices, weights, discount):',
  '    total = sum(price * weight for price, weight in zip(prices, weights))',
  '    return round(total * (1 - discount), 2)\n',
  'def discounted(prices, discount):\n    subtotal = sum(prices)\n    return round(subtotal - subtotal * discount, 2)\n',
  // Not `a * b`: that is scale's code up to names, and dedup would drop it as a copy before any reply.
  'def mul(a, b):\n    return b * a\n',
  'def sub(a, b):\n    return a - b\n',
  'def neg(x):\n    return -x\n',
  'def absval(x):\n    return x if x >= 0 else -x\n',
].join('\n');

const INTS = [
  ['1', '2'],
  ['-3', '4'],
  ['0', '0'],
  ['10', '-10'],
  ['7', '7'],
];
const ONE_INT = [['1'], ['-3'], ['0'], ['12'], ['-7']];
const PRICES = [
  ['[10.0, 20.0]', '0.1'],
  ['[]', '0.5'],
  ['[3.5]', '0.0'],
  ['[1.0, 2.0, 3.0]', '0.25'],
];
const fenced = (code: string) => ({ text: `Here it is:\n\n\`\`\`python\n${code}\n\`\`\`\n` });

const FUNCTIONS: ScriptedFunction[] = [
  {
    entryPoint: 'add_pair',
    instructions: ['named `add_pair` that returns the sum of its two arguments.'],
    cases: INTS,
    solution: 'def add_pair(a, b):\n    return a + b',
    override: {
      probe: [
        { text: 'Sure! Try add_pair(1, 2) and add_pair(3, 4).', invalidJson: true },
        { text: JSON.stringify({ cases: [{ x: 1 }, { args: ['1'] }, { args: ["open('f')", '2'] }] }) },
        { text: '{"cases": [{"args": ["1", "2', finishReason: 'length', invalidJson: true },
      ],
    },
  },
  {
    entryPoint: 'scale',
    instructions: ['named `scale` that returns x multiplied by the factor k.'],
    cases: [],
    solution: 'def scale(x, k):\n    return x * k',
    override: {
      probe: [
        {
          text: '{"cases": [{"args": ["1", "2"]}, {"args": ["3", "4"]}, {"args": ["5", ',
          finishReason: 'length',
          invalidJson: true,
        },
        {
          text: JSON.stringify({
            cases: [
              ['0', '9'],
              ['-2', '3'],
              ['2.5', '2'],
              ["'ab'", '3'],
            ].map((args) => ({ args })),
          }),
        },
      ],
    },
  },
  {
    entryPoint: 'weighted_total',
    instructions: ['unused'],
    cases: [
      ['[10.0, 20.0]', '[1, 2]', '0.1'],
      ['[]', '[]', '0.5'],
      ['[3.5]', '[2]', '0.0'],
      ['[1.0, 2.0]', '[3, 4]', '0.25'],
    ],
    solution: 'def weighted_total(prices, weights, discount):\n    return 0',
    override: {
      instruct: [
        { text: '' },
        { text: "I'm sorry, but I can't help with that." },
        { text: 'Write a Python function that takes a list of prices and a list of', finishReason: 'length' },
        {
          text:
            'Write a Python function that computes total = sum(price * weight for price, weight in zip(prices, weights)) ' +
            'and returns round(total * (1 - discount), 2).',
        },
        { text: 'Write a Python function.' },
      ],
    },
  },
  {
    entryPoint: 'discounted',
    instructions: ['unused'],
    cases: PRICES,
    solution:
      'def discounted(prices, discount):\n    subtotal = sum(prices)\n    return round(subtotal - subtotal * discount, 2)',
    override: {
      instruct: [
        {
          text: 'Write a Python function named `discounted` that returns the sum of the prices minus the given fractional discount, rounded to 2 decimals.',
        },
        {
          text: 'Write a Python function that does this:\nsubtotal = sum(prices)\nreturn round(subtotal - subtotal * discount, 2)',
        },
        {
          text: 'Create a Python function named `discounted` that returns the sum of the prices minus the given fractional discount, rounded to 2 decimals.',
        },
      ],
    },
  },
  {
    entryPoint: 'mul',
    instructions: ['named `mul` that returns the product of its two arguments.'],
    cases: INTS,
    solution: 'unused',
    override: { solve: [{ text: "I'm not sure how to do that without more context about the inputs." }] },
  },
  {
    entryPoint: 'sub',
    instructions: ['named `sub` that returns a minus b.'],
    cases: INTS,
    solution: 'unused',
    override: { solve: [fenced('def subtract(a, b):\n    return a - b')] },
  },
  {
    entryPoint: 'neg',
    instructions: ['named `neg` that returns -x.'],
    cases: ONE_INT,
    solution: 'def neg(x):\n    return -x',
    yes: 0.2,
  },
  {
    entryPoint: 'absval',
    instructions: ['named `absval` that returns the absolute value of x.'],
    cases: ONE_INT,
    solution: 'def absval(x):\n    return abs(x)',
    override: { judge: [{ text: 'The', logprobs: { The: Math.log(0.9), A: Math.log(0.05) } }] },
  },
];

const EXPECTED_FATES = {
  add_pair: 'probe: no-inputs',
  scale: 'accepted',
  weighted_total: 'instruct: no-instruction',
  discounted: 'accepted',
  mul: 'solve: no-solution',
  sub: 'solve: no-solution',
  neg: 'judge: below-threshold',
  absval: 'judge: no-score',
};

describe('malformed and low-scoring replies', () => {
  let run: ScriptedRun;
  beforeAll(async () => {
    run = await runScripted({ files: { 'replies.py': PROGRAMS }, functions: FUNCTIONS, pair });
  }, 300_000);
  afterAll(async () => {
    await run?.project.dispose();
  });

  it('drops each function at the stage and with the reason its replies call for, and nothing else', async () => {
    expect(run.end).toBe('done');
    expect(await run.fates()).toEqual(EXPECTED_FATES);
  });

  it('probe: a reply that is not JSON, has the wrong shape, or is cut before its first case gives no inputs, each reason recorded', async () => {
    const probe = await run.output('add_pair', 'probe');
    expect(probe!.proposed).toEqual([]);
    expect(probe!.dropped.map((d) => d.reason)).toEqual(['not-json', 'wrong-shape', 'arity', 'literal', 'truncated']);
    // Three requests: the first and the two retries (probe.retries = 2), none of them answered usefully.
    expect(run.llm.requests.filter((r) => r.stage === 'probe' && /`add_pair`/.test(lastUser(r.request)))).toHaveLength(
      3,
    );
    const [row] = (await run.rows('add_pair')).filter((r) => r.status === 'dropped');
    expect(row!.detail).toMatch(/not-json/);
    // Nothing more was asked about it.
    expect(run.llm.requests.some((r) => r.stage !== 'probe' && /add_pair/.test(lastUser(r.request)))).toBe(false);
  });

  it('probe: a reply cut at the token limit keeps the cases before the cut and asks again for more', async () => {
    const probe = await run.output('scale', 'probe');
    expect(probe!.proposed.map((c) => c.args)).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['0', '9'],
      ['-2', '3'],
      ['2.5', '2'],
      ["'ab'", '3'],
    ]);
    expect(probe!.dropped.map((d) => d.reason)).toEqual(['truncated']);
    const asked = run.llm.requests.filter((r) => r.stage === 'probe' && /`scale`/.test(lastUser(r.request)));
    expect(asked).toHaveLength(2);
    expect(lastUser(asked[1]!.request)).toContain('already proposed');
    expect(lastUser(asked[1]!.request)).toContain('(1, 2)');
  });

  it('instruct: empty, refusing, cut off, pasted and empty-of-behaviour candidates are all dropped, each with its reason', async () => {
    const instruct = await run.output('weighted_total', 'instruct');
    expect(instruct!.candidates.map((c) => c.dropped?.reason)).toEqual([
      'empty',
      'refusal',
      'truncated',
      'pastes-body',
      'no-behaviour',
    ]);
    const row = (await run.rows('weighted_total')).find((r) => r.stage === 'instruct')!;
    expect(row.detail).toBe('All 5 candidates were dropped (empty, refusal, truncated, pastes-body, no-behaviour).');
    expect(run.llm.requestsFor('judge').some((r) => /weighted_total/.test(lastUser(r)))).toBe(false);
  });

  it('instruct: a candidate that pastes the body is dropped, the others go on', async () => {
    const instruct = await run.output('discounted', 'instruct');
    expect(instruct!.candidates.map((c) => c.dropped?.reason ?? 'kept')).toEqual([
      'kept',
      'pastes-body',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    const judge = await run.output('discounted', 'judge');
    expect(judge!.chosen).toBe(0);
    expect(run.llm.requestsFor('judge').filter((r) => /def discounted\b/.test(lastUser(r)))).toHaveLength(1);
  });

  it('solve: a reply without code, or with code under another name, has no solution', async () => {
    const mul = (await run.rows('mul')).find((r) => r.stage === 'solve')!;
    expect(mul.detail).toMatch(/^no-code: /);
    expect((await run.output('mul', 'solve'))!.code).toBeNull();
    const sub = (await run.rows('sub')).find((r) => r.stage === 'solve')!;
    expect(sub.detail).toMatch(/^no-entry-point: no `def sub\(`/);
  });

  it('judge: P(Yes) 0.2 is under the threshold; a first token that is neither yes nor no gives no score', async () => {
    const neg = await run.output('neg', 'judge');
    const scored = neg!.candidates.filter((c) => c.score !== null);
    expect(scored).toHaveLength(1);
    expect(scored[0]!.score).toBeCloseTo(0.2, 9);
    expect(scored[0]!.estimated).toBe(false);
    expect((await run.rows('neg')).find((r) => r.stage === 'judge')!.detail).toBe(
      'The best candidate scored 0.200, under 0.5.',
    );
    const absval = await run.output('absval', 'judge');
    expect(absval!.chosen).toBeNull();
    expect(absval!.candidates.find((c) => !c.dropped || c.dropped.reason.startsWith('unscored'))!.dropped!.reason).toBe(
      'unscored-neither',
    );
  });
});

describe('an engine without log-probabilities', () => {
  it('samples the judge and marks every score estimated', async () => {
    const functions: ScriptedFunction[] = [
      {
        entryPoint: 'double',
        instructions: ['named `double` that returns twice x.'],
        cases: ONE_INT,
        solution: 'def double(x):\n    return 2 * x',
        override: { judge: [{ text: 'Yes' }, { text: 'No' }, { text: 'Yes' }, { text: 'Yes' }, { text: 'Yes' }] },
      },
      {
        entryPoint: 'half',
        instructions: ['named `half` that returns x divided by two.'],
        cases: ONE_INT,
        solution: 'def half(x):\n    return x / 2',
        override: { judge: [{ text: 'No' }, { text: 'No, it is not.' }, { text: 'Maybe', logprobs: { Maybe: -0.1 } }] },
      },
    ];
    const files = { 'est.py': 'def double(x):\n    return 2 * x\n\n\ndef half(x):\n    return x / 2\n' };
    const run = await runScripted({ files, functions, pair, caps: { logprobs: false } });
    try {
      expect(await run.fates()).toEqual({ double: 'accepted', half: 'judge: below-threshold' });
      const double = (await run.output('double', 'judge'))!;
      const chosen = double.candidates[double.chosen!]!;
      expect(chosen).toMatchObject({ score: 0.8, estimated: true, missing: null });
      // Every judge request asked for sampled answers (5 per candidate, one at a time), none for log-probabilities.
      const judged = run.llm.requestsFor('judge');
      expect(judged).toHaveLength(10);
      expect(judged.every((r) => r.topLogprobs === undefined && r.temperature === 1)).toBe(true);
      const half = (await run.output('half', 'judge'))!;
      // 'No', 'No, …' and three 'Maybe' (unclear, left out of the ratio): 0 of 2.
      expect(half.candidates.filter((c) => c.score !== null).map((c) => [c.score, c.estimated])).toEqual([[0, true]]);
    } finally {
      await run.project.dispose();
    }
  }, 300_000);
});

function lastUser(request: { messages: { role: string; content: string }[] }): string {
  return request.messages.findLast((m) => m.role === 'user')?.content ?? '';
}

describe('a solution whose body has a comment at column 0 (MBPP/64 has one)', () => {
  // topLevelUnits (solve/topLevel.ts) once started a new top-level unit at the column-0 comment, and
  // trimTail dropped it with the rest of the body: the solution was a bare `def` line.
  it('is kept whole, and accepted', async () => {
    const code = 'def by_second(pairs):\n#sort by the second item\n  pairs.sort(key=lambda p: p[1])\n  return pairs\n';
    const functions: ScriptedFunction[] = [
      {
        entryPoint: 'by_second',
        instructions: ['named `by_second` that sorts a list of pairs in place by their second item and returns it.'],
        cases: [["[(1, 'b'), (2, 'a')]"], ['[]'], ["[(3, 'c'), (1, 'a'), (2, 'b')]"]],
        solution: code.trimEnd(),
      },
    ];
    const run = await runScripted({ files: { 'pairs.py': code }, functions, pair });
    try {
      expect((await run.output('by_second', 'solve'))!.code).toBe(code);
      expect(await run.fate('by_second')).toBe('accepted');
    } finally {
      await run.project.dispose();
    }
  }, 300_000);
});

describe('a prefilled solution that starts with a module constant (MBPP/18 does)', () => {
  // An answer continued from "```python\n" is unfenced code; extractSolution once kept it only from the
  // first def/class/import line, so `LIMIT = 3` above the function was lost (NameError in every call).
  it('keeps the constant, and is accepted', async () => {
    const code = 'LIMIT = 3\n\n\ndef first_few(items):\n    return items[:LIMIT]\n';
    const functions: ScriptedFunction[] = [
      {
        entryPoint: 'first_few',
        instructions: ['named `first_few` that returns the first three items of a list.'],
        cases: [['[1, 2, 3, 4]'], ['[]'], ["['a', 'b']"]],
        solution: code.trimEnd(),
      },
    ];
    const caps = { engine: 'openai' as const, continuesAssistant: true };
    const run = await runScripted({ files: { 'few.py': code }, functions, pair, caps });
    try {
      expect((await run.output('first_few', 'solve'))!.code).toContain('LIMIT = 3');
      expect(await run.fate('first_few')).toBe('accepted');
    } finally {
      await run.project.dispose();
    }
  }, 300_000);
});
