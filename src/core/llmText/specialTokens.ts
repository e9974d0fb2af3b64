/**
 * Chat-template tokens that leak into a reply's text: an engine that does not treat them as stop tokens
 * (a misconfigured server, a model fine-tuned on another template) returns `<|im_end|>` and then often a
 * whole imagined next turn. Everything from the first end-of-turn marker on is not part of the answer.
 */

/** Markers that end the answer (Qwen/ChatML, Llama 3, Mistral/Llama 2, Phi, DeepSeek, Gemma, StarCoder). */
const END_MARKERS = [
  '<|im_end|>',
  '<|im_start|>',
  '<|endoftext|>',
  '<|end_of_text|>',
  '<|eot_id|>',
  '<|start_header_id|>',
  '<|end|>',
  '<|EOT|>',
  '<｜end▁of▁sentence｜>',
  '<end_of_turn>',
  '<|file_sep|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|fim_pad|>',
  '</s>',
];

/** A role header some servers leave at the start when they echo the template. */
const LEADING_HEADER = /^\s*(?:<\|im_start\|>|<\|start_header_id\|>)\s*assistant\s*(?:<\|end_header_id\|>)?\s*\n?/;

/** The reply up to its first end-of-turn marker, line endings normalised to "\n". */
export function stripSpecialTokens(text: string): string {
  let out = text.replace(/\r\n?/g, '\n').replace(LEADING_HEADER, '');
  let cut = out.length;
  for (const marker of END_MARKERS) {
    const at = out.indexOf(marker);
    if (at !== -1 && at < cut) cut = at;
  }
  out = out.slice(0, cut);
  return out;
}
