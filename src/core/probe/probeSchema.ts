/**
 * The shape a probe reply must have, for engines that constrain output to a JSON schema. Kept to the subset
 * every target accepts: web-llm's grammar compiler (passed as `response_format.schema`, a string) and
 * servers' `json_schema` (strict mode wants `additionalProperties: false` and every property required).
 * Arity is not in the schema (it is the same schema for every function); parseProposals checks it.
 */
import type { JsonSchema } from '../../domain/llm.ts';

export const PROBE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    cases: {
      type: 'array',
      items: {
        type: 'object',
        properties: { args: { type: 'array', items: { type: 'string' } } },
        required: ['args'],
        additionalProperties: false,
      },
    },
  },
  required: ['cases'],
  additionalProperties: false,
};
