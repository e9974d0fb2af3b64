/**
 * Failures that reach the person from anywhere in the app (a project that could not be deleted, a list
 * that could not be read, an engine choice that could not be saved): each becomes a visible notice with
 * what to do, never only a rejected promise in the console. One notice per `id`: the same failure
 * reported again replaces the old text instead of piling up.
 */
import { isAbortError } from '../domain/errors.ts';
import { problemText } from './problemText.ts';

export type Notice = { id: string; text: string };

export class Notices {
  #list = $state.raw<Notice[]>([]);

  get list(): Notice[] {
    return this.#list;
  }

  /** `what` names what failed, e.g. "Deleting the project". A cancellation is not a failure. */
  report(id: string, what: string, error: unknown): void {
    if (isAbortError(error)) return;
    const { message, action } = problemText(error);
    this.show(id, `${what} failed: ${message} ${action}`);
  }

  show(id: string, text: string): void {
    this.#list = [...this.#list.filter((n) => n.id !== id), { id, text }];
  }

  dismiss(id: string): void {
    this.#list = this.#list.filter((n) => n.id !== id);
  }

  /** Run `work`; a failure becomes a notice (and the returned promise still resolves). */
  async guard(id: string, what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      this.dismiss(id);
    } catch (error) {
      this.report(id, what, error);
    }
  }
}
