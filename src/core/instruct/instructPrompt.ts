/**
 * The instruct stage's prompt file, typed, and its fingerprint part. Rendering lives here so that builders
 * and tests share one reading of the file.
 */
import file from './prompt.v1.json';
import { fenceCode } from '../llmText/fence.ts';
import { promptText, promptVersion } from '../llmText/promptFile.ts';
import { renderTemplate } from '../llmText/template.ts';

/** Goes into the instruct stage's fingerprint: a new prompt file re-runs the stage and those after it. */
export const INSTRUCT_PROMPT_VERSION = promptVersion(file);

/** The paper's openers ("Write a", …), in the file's order. */
export const INSTRUCT_OPENER_WORDS: readonly string[] = file.openers;

export const INSTRUCT_STOP: readonly string[] = file.stop;

export const instructSystem = (): string => promptText(file.system);

/** "Write a" + " Python function"; a dotted entry point (`Cls.m`) is a method. */
export function openerText(word: string, entryPoint: string): string {
  return `${word} ${entryPoint.includes('.') ? file.nouns.method : file.nouns.function}`;
}

/** The user turn; `opener` is spelled out in it only when the engine cannot be made to continue the answer. */
export function instructUser(code: string, entryPoint: string, spellOpener: string | null): string {
  return renderTemplate(promptText(file.user), {
    code: fenceCode(code, 'python'),
    entryPoint,
    begin: spellOpener === null ? '' : renderTemplate(file.begin, { opener: spellOpener }),
  });
}
