import { describe, expect, it } from 'vitest';
import { scoreFromSamples } from './scoreFromSamples.ts';

describe('scoreFromSamples', () => {
  it('counts replies that begin with yes or no, after spaces, markdown, quotes and an "Answer:" label', () => {
    const s = scoreFromSamples([
      'Yes',
      ' yes, the code',
      '**Yes**',
      '"No."',
      'Answer: No',
      'The answer is yes',
      'Yesterday',
      'NO<|im_end|>',
    ]);
    expect(s).toEqual({ ok: true, score: 3 / 6, estimated: true, yes: 3, no: 3, unclear: 2 });
  });

  it('fails as unclear when no reply takes a side, or there are none', () => {
    expect(scoreFromSamples(['The code', 'Maybe', ''])).toMatchObject({ ok: false, reason: 'unclear' });
    expect(scoreFromSamples([])).toMatchObject({ ok: false, reason: 'unclear' });
  });

  it('estimates from the clear replies only', () => {
    expect(scoreFromSamples(['Yes', 'I think', 'yes'])).toEqual({
      ok: true,
      score: 1,
      estimated: true,
      yes: 2,
      no: 0,
      unclear: 1,
    });
  });
});
