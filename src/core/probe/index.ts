/** Semi-Instruct's test inputs: argument lists as Python literal text, proposed by the LLM. */
export { arityOf, type Arity, type ArityOptions } from './arityOf.ts';
export {
  PROBE_DEFAULTS,
  PROBE_PROMPT_VERSION,
  probeArity,
  probeRequest,
  type ProbeInput,
  type ProbeSettings,
} from './probeRequest.ts';
export { PROBE_SCHEMA } from './probeSchema.ts';
export {
  MAX_CASE_CHARS,
  parseProposals,
  type ProbeCase,
  type ProbeDropReason,
  type ProposalArity,
  type Proposals,
} from './parseProposals.ts';
