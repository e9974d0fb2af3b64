/**
 * Prompts are versioned data files, one per stage: `<stage>/prompt.v<N>.json`.
 *
 * Why JSON and not `.md?raw`: a stage's prompt is several parts (system message, user template, openers,
 * the alternative wordings a capability switches between, token budgets), and JSON holds them in one typed
 * object (`resolveJsonModule`) that Vite, Vitest, tsx (bench/) and a worker all import without a loader
 * plugin or a section parser. Multi-line text is an array of lines, so a prompt change is a line diff.
 *
 * `stage` and `version` make the fingerprint part (`instruct/v1`): bump the version, and rename the file,
 * whenever a change could alter what the model writes.
 */

/** Text in a prompt file: a string, or lines joined with "\n". */
export type PromptText = string | readonly string[];

export function promptText(text: PromptText): string {
  return typeof text === 'string' ? text : text.join('\n');
}

export function promptVersion(file: { stage: string; version: number }): string {
  return `${file.stage}/v${file.version}`;
}
