/** The judge stage's prompt file, typed, and its fingerprint part. */
import file from './prompt.v1.json';
import type { ChatMessage } from '../../domain/llm.ts';
import { fenceCode } from '../llmText/fence.ts';
import { promptText, promptVersion } from '../llmText/promptFile.ts';
import { renderTemplate } from '../llmText/template.ts';

/** Goes into the judge stage's fingerprint. */
export const JUDGE_PROMPT_VERSION = promptVersion(file);

export function judgeMessages(problem: string, code: string): ChatMessage[] {
  return [
    { role: 'system', content: promptText(file.system) },
    {
      role: 'user',
      content: renderTemplate(promptText(file.user), {
        problem: fenceCode(problem.trim(), 'text'),
        code: fenceCode(code, 'python'),
      }),
    },
  ];
}
