/**
 * The words for failures that reach the person: what went wrong and what to do. Core and adapters raise
 * codes (StorageError.code, LlmError.code, ProjectNotice.code); only this layer turns them into English.
 */
import { StorageError } from '../domain/errors.ts';
import { isLlmError } from '../domain/llm.ts';
import type { ProjectNotice } from '../domain/records.ts';

export type ProblemText = { message: string; action: string };

export function modelText(model: { engine: 'webllm' | 'openai'; id: string }): string {
  return `${model.id} (${model.engine === 'webllm' ? 'in this browser' : 'on a server'})`;
}

export function problemText(error: unknown): ProblemText {
  if (error instanceof StorageError) return storageText(error.code, error.message);
  if (isLlmError(error)) return { message: error.message, action: error.action };
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    message: `An unexpected error stopped it (${detail}).`,
    action: 'Reload the page and try again; your projects are stored.',
  };
}

function storageText(code: StorageError['code'], detail: string): ProblemText {
  switch (code) {
    case 'quota':
      return {
        message: 'The browser has no storage space left for this site.',
        action: 'Delete old projects (or free disk space), then try again: finished work is kept.',
      };
    case 'version':
      return {
        message: 'The stored data was written by a newer version of this page.',
        action: 'Reload the page to get the newest version.',
      };
    case 'closed':
      return {
        message:
          'The page lost its connection to its database (the browser closed it, e.g. to free memory or to upgrade it).',
        action: 'Reload the page: finished work is kept.',
      };
    case 'unavailable':
      return {
        message: 'This browser does not let the page use its database (IndexedDB), or it was closed.',
        action:
          'Reload the page. In a private window, or with site data blocked, the browser may refuse storage: use a normal window or allow site data.',
      };
    default:
      return { message: detail, action: 'Reload the page and try again; finished work is kept.' };
  }
}

/** What a project's notice says, with the action that fits. */
export function noticeText(notice: ProjectNotice, projectName: string): string {
  switch (notice.code) {
    case 'storage-quota':
      return `${storageText('quota', '').message} Delete old projects (or free disk space) and press Resume: finished work is kept.`;
    case 'storage': {
      const { message, action } = storageText(notice.storage, notice.detail);
      return `${message} ${action}${notice.storage === 'closed' ? ' Then press Resume.' : ''}`;
    }
    case 'python-unavailable':
      return `Python could not run in this browser: ${notice.detail}. Reload the page and press Resume; if it happens again, check the console.`;
    case 'internal':
      return `The run stopped because of an internal error (${notice.detail}). Finished work is kept; press Resume to try again.`;
    case 'ingest-interrupted':
      return (
        `The page was reloaded while "${projectName}" was being read: ${notice.stored} Python files had been stored ` +
        'and the run went on with those. Drop the folder again for a complete run.'
      );
    case 'empty':
      return `"${projectName}" is empty: there is nothing to read.`;
    case 'no-python':
      return (
        `No Python files to read in "${projectName}": ${notice.seen} paths were looked at and ${notice.skipped} ` +
        'skipped (see the skipped list for why).'
      );
    case 'llm-missing':
      return (
        `Waiting for the LLM: this project runs with ${modelText(notice.model)}, and no engine is ready. ` +
        'Load that model (or connect that server) under LLM above; the run goes on by itself once it is ready.'
      );
    case 'llm-mismatch':
      return (
        `This project runs with ${modelText(notice.model)}, but the engine ready now is ${modelText(notice.ready)}. ` +
        `Load ${notice.model.id} to go on, or press “Run with ${notice.ready.id}” to run the LLM stages with it ` +
        '(what is stored for the other model is kept).'
      );
    case 'llm-stopped':
      return `The LLM stopped answering (${notice.llm}): ${notice.detail} ${notice.action} Then press Resume: finished work is kept.`;
    case 'legacy':
      return notice.text;
  }
}
