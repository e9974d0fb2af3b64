import { describe, expect, it } from 'vitest';
import { stripSpecialTokens } from './specialTokens.ts';

describe('stripSpecialTokens', () => {
  it.each([
    ['Qwen end of turn and an imagined next turn', 'Yes.<|im_end|>\n<|im_start|>user\nThanks', 'Yes.'],
    ['endoftext', 'def f(): pass<|endoftext|>junk', 'def f(): pass'],
    ['Llama 3', 'No<|eot_id|><|start_header_id|>user', 'No'],
    ['DeepSeek', 'Yes<｜end▁of▁sentence｜>', 'Yes'],
    ['a leading assistant header', '<|im_start|>assistant\nYes', 'Yes'],
    ['CRLF', 'a\r\nb\rc', 'a\nb\nc'],
    ['nothing to strip', 'plain <b>text</b>', 'plain <b>text</b>'],
  ])('%s', (_, text, expected) => {
    expect(stripSpecialTokens(text)).toBe(expected);
  });
});
