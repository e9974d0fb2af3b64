/**
 * The request for test inputs of one function. The program's code is untrusted and goes in a fence; so do
 * the instruction (model-written from that code) and the earlier proposals (model output) when given.
 */
import file from './prompt.v1.json';
import type { ChatRequest } from '../../domain/llm.ts';
import type { StageCaps } from '../llmText/caps.ts';
import { fenceCode } from '../llmText/fence.ts';
import { hashString, requestSeed, seededRandom } from '../llmText/prng.ts';
import { promptText, promptVersion } from '../llmText/promptFile.ts';
import { renderTemplate } from '../llmText/template.ts';
import { arityOf, type Arity } from './arityOf.ts';
import { PROBE_SCHEMA } from './probeSchema.ts';

/** Goes into the probe stage's fingerprint. */
export const PROBE_PROMPT_VERSION = promptVersion(file);

export type ProbeInput = {
  /** The standalone program. */
  code: string;
  /** The `def` line, as the extractor writes it. */
  signature: string;
  /** `name`, or `Cls.name` for a method. */
  entryPoint: string;
  /** The chosen instruction, when the instruct stage ran; it says what matters to test. */
  instruction: string | null;
  /** Argument lists to ask for (8 by default). */
  count: number;
  /** Argument lists already proposed (each a list of literals), so a retry asks for new ones. */
  avoid?: readonly (readonly string[])[];
};

export type ProbeSettings = { temperature: number; seed: number };

/** Some temperature for variety across retries; JSON stays well-formed at 0.7 in small models. */
export const PROBE_DEFAULTS: Readonly<ProbeSettings & { count: number }> = { count: 8, temperature: 0.7, seed: 0 };

/**
 * The arity parseProposals should check against: for a method (dotted entry point) without `self`/`cls`,
 * which the caller binds.
 */
export function probeArity(signature: string, entryPoint: string): Arity | null {
  return arityOf(signature, { method: entryPoint.includes('.') });
}

function arityLine(arity: Arity | null): string {
  if (arity === null) return '';
  const names = arity.names.map((n) => `\`${n}\``).join(', ');
  const values = { min: String(arity.min), max: String(arity.max ?? ''), names };
  if (arity.max === 0) return file.arity.none;
  if (arity.max === null) return renderTemplate(file.arity.open, { min: values.min, names });
  if (arity.max === arity.min) return renderTemplate(file.arity.exact, { min: values.min, names });
  return renderTemplate(file.arity.range, values);
}

export function probeRequest(
  input: ProbeInput,
  caps: Pick<StageCaps, 'jsonSchema'>,
  settings: ProbeSettings = PROBE_DEFAULTS,
): ChatRequest {
  const count = Math.max(1, Math.floor(input.count || PROBE_DEFAULTS.count));
  const avoid = input.avoid ?? [];
  const user = renderTemplate(promptText(file.user), {
    count: String(count),
    entryPoint: input.entryPoint,
    signature: fenceCode(input.signature, 'python'),
    instruction:
      input.instruction === null || input.instruction.trim() === ''
        ? ''
        : renderTemplate(promptText(file.instruction), { text: fenceCode(input.instruction.trim(), 'text') }),
    code: fenceCode(input.code, 'python'),
    arity: arityLine(probeArity(input.signature, input.entryPoint)),
    only: caps.jsonSchema ? '' : file.only,
    avoid:
      avoid.length === 0
        ? ''
        : renderTemplate(promptText(file.avoid), {
            lists: fenceCode(avoid.map((args) => `(${args.join(', ')})`).join('\n'), 'text'),
          }),
  });
  const random = seededRandom(hashString('probe', settings.seed, input.entryPoint, avoid.length));
  return {
    messages: [
      { role: 'system', content: promptText(file.system) },
      { role: 'user', content: user },
    ],
    temperature: settings.temperature,
    maxTokens: Math.min(file.tokens.max, file.tokens.base + count * file.tokens.perCase),
    seed: requestSeed(random),
    ...(caps.jsonSchema ? { jsonSchema: PROBE_SCHEMA } : {}),
  };
}
