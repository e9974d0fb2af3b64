/**
 * web-llm's page-side code, loaded on first use: `import()` puts it in a chunk of its own, so the app's
 * main bundle does not carry it (about 6 MB) until the user picks the in-browser engine. A failed load
 * (offline, a half-deployed host) is not cached: the next call tries again.
 */
import { LlmError } from '../../../domain/llm.ts';

export type WebLlm = typeof import('@mlc-ai/web-llm');

let loading: Promise<WebLlm> | null = null;

export function loadWebLlm(): Promise<WebLlm> {
  loading ??= import('@mlc-ai/web-llm').catch((error: unknown) => {
    loading = null;
    throw new LlmError(
      'network',
      "The in-browser engine's code could not be loaded.",
      'Check the connection and reload the page.',
      true,
      { cause: error },
    );
  });
  return loading;
}
