/** The round trip: a fresh solution from the chosen instruction and the signature alone. */
export {
  SOLVE_DEFAULTS,
  SOLVE_PROMPT_VERSION,
  solveRequest,
  type SolveInput,
  type SolveSettings,
} from './solveRequest.ts';
export {
  definesEntryPoint,
  extractSolution,
  trimTail,
  type SolutionDropReason,
  type SolutionResult,
} from './extractSolution.ts';
