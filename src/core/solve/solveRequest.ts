/**
 * The round trip's request: a fresh solution from the chosen instruction and the signature only.
 *
 * A method entry point (`Cls.m`, `Outer.Inner.m`) asks for the class with that method, so the solution is
 * called exactly like the original (`Cls.m(...)`); the kind of method follows the first parameter (`self`:
 * instance method, `cls`: @classmethod, else @staticmethod), shown in a skeleton with its decorator.
 *
 * When the engine can continue an assistant turn, the answer is seeded with "```python\n" and stops at the
 * closing fence: the model writes only code, and no tokens go to explanations after it. (A "```" inside one
 * of its string literals would end the code early; Python then rejects it and the sample fails, which is
 * the safe direction.)
 */
import file from './prompt.v1.json';
import type { ChatRequest } from '../../domain/llm.ts';
import type { StageCaps } from '../llmText/caps.ts';
import { fenceCode } from '../llmText/fence.ts';
import { promptText, promptVersion } from '../llmText/promptFile.ts';
import { renderTemplate } from '../llmText/template.ts';
import { arityOf } from '../probe/arityOf.ts';

/** Goes into the solve stage's fingerprint. */
export const SOLVE_PROMPT_VERSION = promptVersion(file);

export type SolveInput = {
  instruction: string;
  /** The `def` line, as the extractor writes it (no body). */
  signature: string;
  /** `name`, or `Cls.name` for a method. */
  entryPoint: string;
  /** The enclosing class for a method; its path is read from `entryPoint`. */
  className: string | null;
};

export type SolveSettings = { temperature: number; maxTokens: number; seed: number };

/**
 * Greedy: the round trip asks whether the instruction specifies the behaviour, and the model's single best
 * attempt answers that repeatably. 1,024 tokens fit any function worth a sample with room for a preamble.
 */
export const SOLVE_DEFAULTS: Readonly<SolveSettings> = { temperature: 0, maxTokens: 1024, seed: 0 };

function methodKind(signature: string): (typeof file.methodKinds)[keyof typeof file.methodKinds] {
  const first = arityOf(signature)?.names[0];
  return first === 'self' ? file.methodKinds.self : first === 'cls' ? file.methodKinds.cls : file.methodKinds.static;
}

function skeleton(signature: string, classPath: readonly string[], decorator: string): string {
  const def = signature.trim().replace(/:\s*$/, '');
  const lines = classPath.map((name, depth) => `${'    '.repeat(depth)}class ${name}:`);
  const indent = '    '.repeat(classPath.length);
  if (decorator) lines.push(indent + decorator);
  lines.push(`${indent}${def}:`, `${indent}    ...`);
  return lines.join('\n');
}

export function solveRequest(
  input: SolveInput,
  settings: SolveSettings = SOLVE_DEFAULTS,
  caps: Pick<StageCaps, 'continuesAssistant'> = { continuesAssistant: false },
): ChatRequest {
  const parts = input.entryPoint.split('.');
  const name = parts.at(-1)!;
  const classPath = parts.length > 1 ? parts.slice(0, -1) : input.className ? [input.className] : [];
  const kind = classPath.length > 0 ? methodKind(input.signature) : null;
  const target = kind
    ? renderTemplate(file.targets.method, { classPath: classPath.join('.'), kind: kind.kind, name })
    : renderTemplate(file.targets.function, { name });
  const user = renderTemplate(promptText(file.user), {
    instruction: input.instruction.trim(),
    target,
    skeleton: fenceCode(skeleton(input.signature, classPath, kind?.decorator ?? ''), 'python'),
  });
  const prefill = caps.continuesAssistant;
  return {
    messages: [
      { role: 'system', content: promptText(file.system) },
      { role: 'user', content: user },
      ...(prefill ? [{ role: 'assistant' as const, content: file.prefill }] : []),
    ],
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    seed: settings.seed,
    ...(prefill ? { stop: [...file.prefillStop] } : {}),
  };
}
