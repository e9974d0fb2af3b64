/**
 * Candidates that say the same thing are judged once. Two instructions are duplicates when they are equal
 * after normalisation: the opener phrase removed ("Write a Python function" and "Create a Python function"
 * in front of the same words are one candidate), case folded, markdown and punctuation dropped, whitespace
 * collapsed. The first of each group is kept.
 */

export type DedupeResult = {
  kept: { index: number; instruction: string }[];
  dropped: { index: number; reason: 'duplicate'; detail: string }[];
};

const OPENER =
  /^(?:write|create|implement|develop|design|build|i want|i need|make|generate)\s+(?:an?\s+)?(?:python\s+)?(?:function|method)?\s*/;

export function normaliseInstruction(instruction: string): string {
  return instruction
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(OPENER, '')
    .trim();
}

export function dedupeCandidates(instructions: readonly string[]): DedupeResult {
  const first = new Map<string, number>();
  const result: DedupeResult = { kept: [], dropped: [] };
  instructions.forEach((instruction, index) => {
    const key = normaliseInstruction(instruction);
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, index);
      result.kept.push({ index, instruction });
    } else result.dropped.push({ index, reason: 'duplicate', detail: `same text as candidate ${seen}` });
  });
  return result;
}
