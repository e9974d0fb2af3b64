/**
 * One exported sample of the LLM pipeline (method "inverse-semi"): an instruction written from the code
 * (Inverse-Instruct, the judge's best), the verified solution written from that instruction alone (Semi-
 * Instruct's "proper format") or the original code, and tests whose expected values come from running the
 * original. Field meanings are in README.md ("What each JSONL field means").
 */
import type { LlmExportItem } from '../ports.ts';
import type { ModelRef } from '../../domain/pipeline.ts';
import { EXPORT_SCHEMA_VERSION } from './jsonlRecord.ts';

export type LlmJsonlRecord = {
  id: string;
  instruction: string;
  response: string;
  tests: string[];
  entry_point: string;
  language: 'python';
  method: 'inverse-semi';
  /** Which code `response` is: the verified solution or the original program. Tests pass on both. */
  response_kind: 'solution' | 'original';
  scores: {
    yes_prob: number;
    yes_prob_estimated: boolean;
    round_trip_pass_rate: number;
    line_coverage: number | null;
  };
  model: ModelRef;
  fingerprint: string;
  source: {
    project: string;
    path: string;
    start_line: number;
    end_line: number;
    sha256: string;
    original_code: string;
  };
  verification: { cases: number; doctests: number; runtime: string };
  schema_version: number;
};

export function toLlmRecord(
  item: LlmExportItem,
  projectName: string,
  model: ModelRef,
  fingerprint: string,
  response: 'solution' | 'original',
): LlmJsonlRecord | null {
  const { path, summary, fn, fileSha256, program, select, oracle, judge, solve, verify } = item;
  const chosen = judge.chosen === null ? undefined : judge.candidates[judge.chosen];
  if (!chosen || chosen.score === null || !solve.code || verify.total === 0) return null;
  return {
    // The method too: a function with doctests can also be a natural sample, under the same path and name.
    id: `${path}::${summary.qualname}::${summary.lineno}::inverse-semi`,
    instruction: chosen.text,
    response: response === 'solution' ? solve.code : program,
    tests: verify.tests,
    entry_point: select.entryPoint,
    language: 'python',
    method: 'inverse-semi',
    response_kind: response,
    scores: {
      yes_prob: chosen.score,
      yes_prob_estimated: chosen.estimated,
      round_trip_pass_rate: verify.passed / verify.total,
      line_coverage: oracle.coverage,
    },
    model,
    fingerprint,
    source: {
      project: projectName,
      path,
      start_line: fn.startLine,
      end_line: fn.endLine,
      sha256: fileSha256,
      original_code: program,
    },
    verification: { cases: verify.total - verify.doctests, doctests: verify.doctests, runtime: verify.runtime },
    schema_version: EXPORT_SCHEMA_VERSION,
  };
}
