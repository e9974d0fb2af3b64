/** Inverse-Instruct: code → candidate instructions (requests, parsing, dedup). */
export { INSTRUCT_PROMPT_VERSION } from './instructPrompt.ts';
export {
  INSTRUCT_DEFAULTS,
  instructRequests,
  type InstructInput,
  type InstructRequest,
  type InstructSettings,
} from './instructRequests.ts';
export { parseCandidate, type CandidateDropReason, type CandidateResult } from './parseCandidate.ts';
export { dedupeCandidates, normaliseInstruction, type DedupeResult } from './dedupeCandidates.ts';
