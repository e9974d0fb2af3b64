/** Any failure of an engine, as something the UI can say: what happened, its code, what to do. */
import { isLlmError, type LlmErrorCode } from '../domain/llm.ts';

export type Problem = { code: LlmErrorCode; message: string; action: string };

export function problemOf(error: unknown): Problem {
  if (isLlmError(error)) return { code: error.code, message: error.message, action: error.action };
  // Not an LlmError: a fault of the app itself, shown as it is rather than hidden behind a guess.
  return {
    code: 'unknown',
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    action: 'Reload the page and try again; if it persists, use natural mode or an OpenAI-compatible server.',
  };
}
