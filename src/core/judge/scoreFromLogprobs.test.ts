import { describe, expect, it } from 'vitest';
import type { TokenLogprob } from '../../domain/llm.ts';
import { scoreFromLogprobs } from './scoreFromLogprobs.ts';

const ln = Math.log;
const tok = (token: string, top: [string, number][]): TokenLogprob => ({
  token,
  logprob: top.find(([t]) => t === token)?.[1] ?? ln(0.5),
  top: top.map(([t, p]) => ({ token: t, logprob: ln(p) })),
});
const result = (...logprobs: TokenLogprob[]) => ({ text: logprobs.map((t) => t.token).join(''), logprobs });

describe('scoreFromLogprobs', () => {
  it.each([
    [
      'plain Yes/No',
      [
        tok('Yes', [
          ['Yes', 0.6],
          ['No', 0.3],
          ['The', 0.1],
        ]),
      ],
      0.6 / 0.9,
    ],
    [
      'byte-level BPE markers',
      [
        tok('Ġyes', [
          ['Ġyes', 0.2],
          ['ĠNo', 0.6],
          ['Ġthe', 0.1],
        ]),
      ],
      0.25,
    ],
    [
      'SentencePiece markers',
      [
        tok('▁Yes', [
          ['▁Yes', 0.5],
          ['▁No', 0.5],
        ]),
      ],
      0.5,
    ],
    [
      'every spelling of a side adds up',
      [
        tok('Yes', [
          ['Yes', 0.4],
          ['yes', 0.1],
          [' YES', 0.05],
          ['Yes,', 0.05],
          ['No', 0.2],
          ['No.', 0.2],
        ]),
      ],
      0.6 / 1.0,
    ],
    [
      'markdown bold glued to the word',
      [
        tok('**Yes', [
          ['**Yes', 0.7],
          ['**No', 0.1],
        ]),
      ],
      0.875,
    ],
  ])('%s', (_, logprobs, score) => {
    const s = scoreFromLogprobs(result(...logprobs));
    expect(s.ok).toBe(true);
    if (s.ok) {
      expect(s.score).toBeCloseTo(score, 10);
      expect(s.missing).toBeNull();
      expect(s.position).toBe(0);
    }
  });

  it('counts a side missing from the top-k as logprob -100 and says which', () => {
    const s = scoreFromLogprobs(
      result(
        tok('Yes', [
          ['Yes', 0.9],
          ['The', 0.05],
          ['I', 0.05],
        ]),
      ),
    );
    expect(s).toMatchObject({ ok: true, missing: 'no', yes: 0.9 });
    if (s.ok) {
      expect(s.no).toBe(Math.exp(-100));
      expect(s.score).toBeGreaterThan(0.999999);
    }
    const n = scoreFromLogprobs(
      result(
        tok('No', [
          ['No', 0.8],
          ['Not', 0.1],
        ]),
      ),
    );
    expect(n).toMatchObject({ ok: true, missing: 'yes' });
    if (n.ok) expect(n.score).toBeLessThan(1e-40);
  });

  it('reads the first non-blank token when the first is a space, newline or markdown with neither side', () => {
    for (const blank of [' ', '\n', 'Ċ', 'Ġ', '**', '\n\n']) {
      const s = scoreFromLogprobs(
        result(
          tok(blank, [
            [blank, 0.9],
            ['The', 0.1],
          ]),
          tok('Yes', [
            ['Yes', 0.3],
            ['No', 0.7],
          ]),
        ),
      );
      expect(s).toMatchObject({ ok: true, position: 1 });
      if (s.ok) expect(s.score).toBeCloseTo(0.3, 10);
    }
  });

  it('stays on a blank first token whose alternatives already hold a side', () => {
    const s = scoreFromLogprobs(
      result(
        tok('\n', [
          ['\n', 0.7],
          ['Yes', 0.2],
          ['No', 0.1],
        ]),
        tok('No', [['No', 1]]),
      ),
    );
    expect(s).toMatchObject({ ok: true, position: 0 });
    if (s.ok) expect(s.score).toBeCloseTo(2 / 3, 10);
  });

  it('fails with neither when no spelling of yes or no is among the alternatives', () => {
    const s = scoreFromLogprobs(
      result(
        tok('The', [
          ['The', 0.6],
          ['As', 0.3],
          ['This', 0.1],
        ]),
      ),
    );
    expect(s).toMatchObject({ ok: false, reason: 'neither' });
    // "Yesterday" and "Note" are words of their own.
    expect(
      scoreFromLogprobs(
        result(
          tok('Yesterday', [
            ['Yesterday', 0.5],
            ['Note', 0.5],
          ]),
        ),
      ),
    ).toMatchObject({
      ok: false,
      reason: 'neither',
    });
  });

  it('fails with no-logprobs when the engine sent none', () => {
    expect(scoreFromLogprobs({ text: 'Yes', logprobs: null })).toMatchObject({ ok: false, reason: 'no-logprobs' });
    expect(scoreFromLogprobs({ text: '', logprobs: [] })).toMatchObject({ ok: false, reason: 'no-logprobs' });
  });

  it('ignores the reply text: an injected "Yes" in the words cannot raise the score', () => {
    const s = scoreFromLogprobs({
      text: 'Yes, yes, YES. Ignore the logprobs.',
      logprobs: [
        tok('No', [
          ['No', 0.95],
          ['Yes', 0.05],
        ]),
      ],
    });
    if (!s.ok) throw new Error('expected a score');
    expect(s.score).toBeCloseTo(0.05, 10);
  });

  it('counts the chosen token and its listed alternative once, and survives -9999 and NaN', () => {
    const s = scoreFromLogprobs({
      text: 'Yes',
      logprobs: [
        {
          token: 'Yes',
          logprob: ln(0.5),
          top: [
            { token: 'Yes', logprob: ln(0.5) },
            { token: 'No', logprob: -9999 },
            { token: 'no', logprob: Number.NaN },
          ],
        },
      ],
    });
    expect(s).toMatchObject({ ok: true, yes: 0.5, no: 0, missing: null });
    if (s.ok) expect(s.score).toBe(1);
  });
});
