/**
 * Which side of "Yes or No" a token or a reply's start is on. Tokenizers spell the same word many ways:
 * "Yes", " Yes", "yes", "YES", "Ġyes" (byte-level BPE's space marker), "▁Yes" (SentencePiece's), "Yes.",
 * "Yes,", "**Yes". All are the same answer; so are their probabilities, which therefore add up.
 */

export type Side = 'yes' | 'no';

/** Space markers of byte-level BPE (Ġ space, Ċ newline, ĉ tab) and SentencePiece (▁). */
const MARKERS = /[ĠĊĉ▁]/g;

/** The token with whitespace, space markers and punctuation/markdown removed, lowercased. */
export function normaliseToken(token: string): string {
  return token
    .replace(MARKERS, ' ')
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .toLowerCase();
}

export function tokenSide(token: string): Side | null {
  const word = normaliseToken(token);
  return word === 'yes' ? 'yes' : word === 'no' ? 'no' : null;
}

/** A token that carries no word: a space, a newline, markdown ("**", "#", "`"), a quote. */
export function isBlankToken(token: string): boolean {
  return normaliseToken(token) === '';
}

/**
 * The side a sampled reply begins with, after leading whitespace, markdown, quotes and an "Answer:" label;
 * null when it begins with anything else ("The answer…", "Yesterday").
 */
export function replySide(text: string): Side | null {
  const start = text
    .replace(/^[\s\p{P}\p{S}]*/u, '')
    .replace(/^(?:answer|reply|verdict)\s*[:：]\s*[\s\p{P}\p{S}]*/iu, '');
  const m = /^(yes|no)(?![\p{L}\p{N}_])/iu.exec(start);
  return m ? (m[1]!.toLowerCase() as Side) : null;
}
