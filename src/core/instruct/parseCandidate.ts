/**
 * One candidate instruction from one completion, or why it was dropped. Model output is untrusted: this
 * never throws on it, and text inside the candidate ("ignore previous instructions…") is only text; the
 * judge and the execution checks decide what it is worth.
 *
 * Checks, in order (the first that fails names the reason):
 * - `empty`: nothing but whitespace and special tokens, or nothing before the first code fence.
 * - `refusal`: an apology or refusal in its first lines ("I'm sorry, but…", "As an AI…").
 * - `truncated`: the engine stopped at its token limit and the text does not end as a complete sentence
 *   (last character `.`, `!` or `?`, closing quotes or brackets or markdown after it allowed). A reply cut
 *   inside a code fence keeps its prose before the fence, which is complete if it ends like a sentence.
 * - `no-behaviour`: once the opener ("Write a Python function"), the function's name and filler ("that does
 *   the following", "to solve this problem") are taken away, fewer than two content words remain.
 * - `pastes-body`, `restates-code`: see codeEcho.ts.
 * Saying what the function takes ("the function takes a list") is fine: mentioning code is not a reason.
 */
import type { Reply } from '../llmText/caps.ts';
import { stripSpecialTokens } from '../llmText/specialTokens.ts';
import { cleanInstruction } from './cleanInstruction.ts';
import { codeEcho } from './codeEcho.ts';

export type CandidateDropReason = 'empty' | 'truncated' | 'refusal' | 'restates-code' | 'pastes-body' | 'no-behaviour';

export type CandidateResult =
  { ok: true; instruction: string } | { ok: false; reason: CandidateDropReason; detail: string };

const REFUSAL =
  /^[\s\W]*(?:i'?m sorry|i am sorry|sorry\b|apologies|i apologi[sz]e|i can(?:not|'t|’t)\b|i am (?:not able|unable)|i'?m (?:not able|unable)|i (?:won'?t|will not) be able|as an ai\b|unfortunately,? (?:i|the (?:code|snippet))|i do(?: not|n'?t) (?:have enough|see any)|there is no (?:code|problem)|the (?:provided|given) (?:code|snippet) (?:is (?:not|incomplete|empty)|does not (?:contain|define)))/i;

const SENTENCE_END = /[.!?。](?:["'”’)\]*_`]*)$/;

const OPENER_PHRASE =
  /^[\s\W]*(?:write|create|implement|develop|design|build|i want|i need|make|generate|code)\s+(?:an?\s+)?(?:(?:python|py)\s+)?(?:function|method|program|script|class|routine|procedure)?s?\b/i;

const FILLER = [
  /\b(?:called|named)\s+`?[\w.]+`?/gi,
  /\b(?:that|which|to)\s+(?:does|do|performs?|solves?|implements?)\s+the\s+(?:following|task|problem|code)(?:\s+(?:task|problem|description|below))?/gi,
  /\b(?:for|to solve|based on|according to|with)\s+the\s+(?:following|given|provided|above|below)\s*(?:code|snippet|problem|task|description|specification|signature|requirements?)?/gi,
  /\b(?:as\s+)?(?:described|shown|specified|given)\s+(?:below|above)/gi,
  /\bin\s+python\b/gi,
];

const NOT_CONTENT = new Set(
  (
    'a an the this that which who to of for in on at by with and or as is are be it its does do ' +
    'python function method code snippet problem task description following given provided above below ' +
    'program script class should will must can'
  ).split(' '),
);

function contentWords(instruction: string, entryPoint: string): string[] {
  let rest = instruction.replace(OPENER_PHRASE, ' ');
  for (const filler of FILLER) rest = rest.replace(filler, ' ');
  const names = new Set(entryPoint.toLowerCase().split('.'));
  return (
    rest
      .replace(/`[^`]*`/g, (span) => (names.has(span.slice(1, -1).toLowerCase()) ? ' ' : span))
      .match(/[\p{L}][\p{L}\p{N}_'-]*/gu) ?? []
  ).filter((w) => !NOT_CONTENT.has(w.toLowerCase()) && !names.has(w.toLowerCase()));
}

function refusal(text: string): string | null {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 3);
  for (const line of lines) {
    for (const sentence of line.split(/(?<=[.!?:])\s+/).slice(0, 3)) {
      if (REFUSAL.test(sentence)) return sentence.trim().slice(0, 120);
    }
  }
  return null;
}

/**
 * @param opener what instructRequests put in the request ("Write a Python function").
 * @param code the program the candidate describes (for the echo checks).
 * @param prefilled whether the opener was the start of the assistant turn (the reply is what follows it).
 */
export function parseCandidate(
  reply: Reply,
  opener: string,
  code: string,
  entryPoint: string,
  prefilled: boolean,
): CandidateResult {
  const raw = stripSpecialTokens(reply.text);
  if (raw.trim() === '') return { ok: false, reason: 'empty', detail: 'the reply is empty' };
  const rejected = refusal(raw);
  if (rejected) return { ok: false, reason: 'refusal', detail: rejected };
  const instruction = cleanInstruction(prefilled ? opener + raw : raw, opener, prefilled);
  if (instruction === '') return { ok: false, reason: 'empty', detail: 'nothing before the first code fence' };
  if (reply.finishReason === 'length' && !SENTENCE_END.test(instruction))
    return {
      ok: false,
      reason: 'truncated',
      detail: `stopped at the token limit mid-sentence: "…${instruction.slice(-60)}"`,
    };
  const words = contentWords(instruction, entryPoint);
  if (words.length < 2)
    return { ok: false, reason: 'no-behaviour', detail: `names no behaviour: "${instruction.slice(0, 120)}"` };
  const echo = codeEcho(instruction, code, entryPoint);
  if (echo) return { ok: false, ...echo };
  return { ok: true, instruction };
}
