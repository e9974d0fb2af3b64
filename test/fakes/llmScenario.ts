/**
 * Scenarios for the scripted LLM (scriptedLlm.ts) and model host (scriptedModelHost.ts): plain JSON data,
 * one file per scenario in test/fixtures/llm/, validated here so that a typo in a fixture fails naming the
 * file and the field instead of surfacing as a puzzling assertion in some pipeline test.
 *
 * Invariants of a parsed `Scenario`:
 * - every optional field has its default filled in, and it is still plain data (structured-cloneable), so a
 *   browser test can hand it to a page;
 * - no object carries a key this file does not know (a misspelt `delayMS` is an error, not a silent 0);
 * - every regex compiles and every error code is an LlmErrorCode;
 * - a reply's `logprobs.first` is a probability distribution (its probabilities sum to at most 1) that
 *   contains the reply's first token, so P(Yes) read back from a chat is exactly what the file says;
 * - a reply marked `invalidJson` really is not JSON, so a parser test cannot pass on valid input by mistake;
 * - load progress runs through `download` then `load`, fractions in 0..1, never going back within a phase;
 * - the capabilities pose as a real engine ('webllm', the default, or 'openai'), never as a test double, and
 *   never claim what that engine cannot do: a scenario with a host (a ModelHost serves web-llm) is 'webllm',
 *   and 'webllm' does not continue an assistant message (web-llm 0.2.86 refuses a trailing one).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatUsage, FinishReason, LlmCapabilities, LlmErrorCode, LoadProgress } from '../../src/domain/llm.ts';
import { ShapeError, bool, list, obj, oneOf, str, type Obj } from '../../src/lib/guard.ts';

/** `contains` is a plain substring; `regex` a JavaScript regular expression with optional flags. */
export type TextMatch = { contains: string } | { regex: string; flags: string };

/** Every field given must hold for a request to match; an empty match takes every request. */
export type RequestMatch = {
  /** The content of the last message whose role is `user`. */
  lastUser: TextMatch | null;
  /** The contents of the system messages, joined by newlines. */
  system: TextMatch | null;
  /** Whether the request constrains its output with a JSON schema. */
  jsonSchema: boolean | null;
  /** Whether the request asks for top logprobs. */
  topLogprobs: boolean | null;
};

export type ErrorSpec = { code: LlmErrorCode; message: string; action: string; retryable: boolean };

/** Streamed one token at a time, each after `delayMs`. */
export type TextReply = {
  type: 'text';
  text: string;
  delayMs: number;
  finishReason: FinishReason;
  /** The first generated token's alternatives, token → natural-log probability. */
  logprobs: { first: Record<string, number> } | null;
  /** Overrides of the counts the scripted LLM derives from the text. */
  usage: Partial<ChatUsage>;
  /** Deliberately not JSON, although the request may ask for a JSON schema. */
  invalidJson: boolean;
};

/** Streams `text` (often empty) like a text reply, then fails with the error. */
export type ErrorReply = { type: 'error'; text: string; delayMs: number } & ErrorSpec;

export type Reply = TextReply | ErrorReply;

/** The n-th request this rule answers gets `replies[n]`; the last reply repeats once they run out. */
export type Rule = { stage: string; match: RequestMatch; replies: Reply[] };

export type HostScript = {
  /** Why `probe()` finds this GPU unusable; null: a usable one. */
  probeError: ErrorSpec | null;
  /** Each progress event is emitted after `delayMs`; then the load fails with `error`, or succeeds. */
  load: { delayMs: number; progress: LoadProgress[]; error: ErrorSpec | null };
};

export type Scenario = {
  /** The file's name without `.json`. */
  name: string;
  description: string;
  capabilities: LlmCapabilities;
  /** Tried in order; the first whose match holds answers. */
  rules: Rule[];
  /** For a ScriptedModelHost; null when the scenario only scripts a client. */
  host: HostScript | null;
};

/** Also the default model name, so a production bundle that contains the scripted LLM contains this. */
export const SCRIPTED_LLM_MARKER = 'semiverse-scripted-llm';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

const FIXTURES = fileURLToPath(new URL('../fixtures/llm/', import.meta.url));

/** The engines a scenario can pose as: the real ones only. */
const ENGINES = ['webllm', 'openai'] as const satisfies readonly LlmCapabilities['engine'][];
// Fails to compile when domain/llm.ts gains an engine this list lacks.
const allEnginesListed: [Exclude<LlmCapabilities['engine'], (typeof ENGINES)[number]>] extends [never] ? true : never =
  true;
void allEnginesListed;

const LLM_ERROR_CODES = [
  ...['no-webgpu', 'no-adapter', 'fallback-adapter', 'gpu-limits', 'vram', 'device-lost', 'out-of-memory'],
  ...['quota', 'network', 'model-not-found', 'cors', 'auth', 'bad-request', 'server', 'rate-limit'],
  ...['bad-response', 'unsupported', 'not-loaded', 'unknown'],
] as const satisfies readonly LlmErrorCode[];
// Fails to compile when domain/llm.ts gains a code this list lacks.
const allCodesListed: [Exclude<LlmErrorCode, (typeof LLM_ERROR_CODES)[number]>] extends [never] ? true : never = true;
void allCodesListed;

/** Read and validate a scenario: a name in test/fixtures/llm/ (`"refusal"`) or a path to a JSON file. */
export function loadScenario(nameOrPath: string): Scenario {
  const path = nameOrPath.endsWith('.json') ? resolve(nameOrPath) : resolve(FIXTURES, `${nameOrPath}.json`);
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`${path}: not valid JSON (${(error as SyntaxError).message})`, { cause: error });
  }
  return parseScenario(data, path);
}

/** The scenario files in test/fixtures/llm/, as paths, sorted. */
export function scenarioFiles(): string[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => resolve(FIXTURES, name));
}

/** Validate scenario data; `source` (a path or a label) names it in errors and gives its name. */
export function parseScenario(data: unknown, source: string): Scenario {
  try {
    return scenario(data, basename(source).replace(/\.json$/, ''));
  } catch (error) {
    if (error instanceof ShapeError) throw new ScenarioError(`${source}: ${error.message}`, { cause: error });
    throw error;
  }
}

function scenario(data: unknown, name: string): Scenario {
  const o = known(data, 'scenario', ['description', 'capabilities', 'rules', 'host']);
  const hosted = has(o, 'host');
  return {
    name,
    description: str(o, 'description', 'scenario'),
    capabilities: capabilities(o['capabilities'] ?? {}, 'scenario.capabilities', hosted),
    rules: list(o, 'rules', 'scenario', rule),
    host: hosted ? host(o['host'], 'scenario.host') : null,
  };
}

/** Defaults: web-llm (the app's default engine), with what every engine can do: one choice, no prefill. */
function capabilities(value: unknown, p: string, hosted: boolean): LlmCapabilities {
  const keys = ['engine', 'model', 'concurrency', 'logprobs', 'jsonSchema', 'maxChoices', 'continuesAssistant'];
  const caps = known(value, p, keys);
  const engine = has(caps, 'engine') ? oneOf(caps, 'engine', p, ENGINES) : 'webllm';
  if (hosted && engine !== 'webllm')
    throw new ShapeError(`${p}.engine: "${engine}" with a host section (a model host serves only 'webllm')`);
  const continuesAssistant = has(caps, 'continuesAssistant') ? bool(caps, 'continuesAssistant', p) : false;
  if (continuesAssistant && engine === 'webllm')
    throw new ShapeError(`${p}.continuesAssistant: web-llm cannot continue an assistant message`);
  return {
    engine,
    model: has(caps, 'model') ? str(caps, 'model', p) : SCRIPTED_LLM_MARKER,
    concurrency: has(caps, 'concurrency') ? positiveInt(caps, 'concurrency', p) : 1,
    logprobs: has(caps, 'logprobs') ? bool(caps, 'logprobs', p) : true,
    jsonSchema: has(caps, 'jsonSchema') ? bool(caps, 'jsonSchema', p) : true,
    maxChoices: has(caps, 'maxChoices') ? positiveInt(caps, 'maxChoices', p) : 1,
    choicesShareThePrompt: caps['engine'] !== 'webllm' && has(caps, 'maxChoices') && Number(caps['maxChoices']) > 1,
    continuesAssistant,
  };
}

function rule(value: unknown, path: string): Rule {
  const o = known(value, path, ['stage', 'match', 'replies']);
  const m = known(o['match'] ?? {}, `${path}.match`, ['lastUser', 'system', 'jsonSchema', 'topLogprobs']);
  const replies = list(o, 'replies', path, reply);
  if (replies.length === 0) throw new ShapeError(`${path}.replies: empty (a rule needs at least one reply)`);
  return {
    stage: str(o, 'stage', path),
    match: {
      lastUser: has(m, 'lastUser') ? textMatch(m['lastUser'], `${path}.match.lastUser`) : null,
      system: has(m, 'system') ? textMatch(m['system'], `${path}.match.system`) : null,
      jsonSchema: has(m, 'jsonSchema') ? bool(m, 'jsonSchema', `${path}.match`) : null,
      topLogprobs: has(m, 'topLogprobs') ? bool(m, 'topLogprobs', `${path}.match`) : null,
    },
    replies,
  };
}

function textMatch(value: unknown, path: string): TextMatch {
  const o = known(value, path, ['contains', 'regex', 'flags']);
  if (has(o, 'contains') === has(o, 'regex')) throw new ShapeError(`${path}: needs exactly one of contains, regex`);
  if (has(o, 'contains')) {
    if (has(o, 'flags')) throw new ShapeError(`${path}.flags: only with regex`);
    return { contains: str(o, 'contains', path) };
  }
  const match = { regex: str(o, 'regex', path), flags: has(o, 'flags') ? str(o, 'flags', path) : '' };
  try {
    new RegExp(match.regex, match.flags);
  } catch (error) {
    throw new ShapeError(`${path}.regex: ${error instanceof Error ? error.message : 'does not compile'}`);
  }
  return match;
}

function reply(value: unknown, path: string): Reply {
  const o = obj(value, path);
  const type = oneOf(o, 'type', path, ['text', 'error']);
  if (type === 'error') {
    const e = known(o, path, ['type', 'text', 'delayMs', 'code', 'message', 'action', 'retryable']);
    const text = has(e, 'text') ? str(e, 'text', path) : '';
    return { type, text, delayMs: delay(e, path), ...errorSpec(e, path) };
  }
  const t = known(o, path, ['type', 'text', 'delayMs', 'finishReason', 'logprobs', 'usage', 'invalidJson']);
  const text = str(t, 'text', path);
  const invalidJson = has(t, 'invalidJson') ? bool(t, 'invalidJson', path) : false;
  if (invalidJson && isJson(text)) throw new ShapeError(`${path}.text: marked invalidJson but parses as JSON`);
  return {
    type,
    text,
    delayMs: delay(t, path),
    finishReason: has(t, 'finishReason') ? oneOf(t, 'finishReason', path, ['stop', 'length', 'other']) : 'stop',
    logprobs: has(t, 'logprobs') ? logprobs(t['logprobs'], text, `${path}.logprobs`) : null,
    usage: has(t, 'usage') ? usage(t['usage'], `${path}.usage`) : {},
    invalidJson,
  };
}

function logprobs(value: unknown, text: string, path: string): { first: Record<string, number> } {
  const first = obj(known(value, path, ['first'])['first'], `${path}.first`);
  let mass = 0;
  for (const [token, logprob] of Object.entries(first)) {
    if (typeof logprob !== 'number' || !(logprob <= 0))
      throw new ShapeError(`${path}.first.${token}: not a logprob ≤ 0`);
    mass += Math.exp(logprob);
  }
  // Rounding in hand-written logprobs is fine; more than that is not a distribution.
  if (mass > 1 + 1e-6) throw new ShapeError(`${path}.first: probabilities sum to ${mass.toFixed(4)} > 1`);
  const token = tokenize(text)[0];
  if (token === undefined || !(token in first))
    throw new ShapeError(`${path}.first: lacks the reply's first token ${JSON.stringify(token ?? '(none)')}`);
  return { first: { ...first } as Record<string, number> };
}

function usage(value: unknown, path: string): Partial<ChatUsage> {
  const keys = ['promptTokens', 'completionTokens', 'prefillTokensPerSecond', 'decodeTokensPerSecond'] as const;
  const o = known(value, path, keys);
  const result: Partial<ChatUsage> = {};
  for (const key of keys) if (has(o, key)) result[key] = count(o, key, path, 0);
  return result;
}

function host(value: unknown, path: string): HostScript {
  const o = known(value, path, ['probeError', 'load']);
  const load = known(o['load'] ?? {}, `${path}.load`, ['delayMs', 'progress', 'error']);
  const progress = has(load, 'progress') ? list(load, 'progress', `${path}.load`, loadProgress) : [];
  progress.forEach((event, i) => {
    const before = progress[i - 1];
    if (before?.phase === 'load' && event.phase === 'download')
      throw new ShapeError(`${path}.load.progress[${i}].phase: download after load`);
    if (before?.phase === event.phase && event.fraction < before.fraction)
      throw new ShapeError(`${path}.load.progress[${i}].fraction: goes back`);
  });
  return {
    probeError: has(o, 'probeError') ? errorSpec(o['probeError'], `${path}.probeError`) : null,
    load: {
      delayMs: delay(load, `${path}.load`),
      progress,
      error: has(load, 'error') ? errorSpec(load['error'], `${path}.load.error`) : null,
    },
  };
}

function loadProgress(value: unknown, path: string): LoadProgress {
  const keys = ['phase', 'fraction', 'bytesDone', 'bytesTotal', 'bytesPerSecond', 'etaSeconds', 'text'] as const;
  const o = known(value, path, keys);
  const phase = oneOf(o, 'phase', path, ['download', 'load']);
  const fraction = o['fraction'];
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1))
    throw new ShapeError(`${path}.fraction: not a number in 0..1`);
  const orNull = (key: (typeof keys)[number]): number | null => (has(o, key) ? count(o, key, path, 0) : null);
  const text = has(o, 'text') ? str(o, 'text', path) : `${phase} ${Math.round(fraction * 100)}%`;
  return {
    phase,
    fraction,
    bytesDone: orNull('bytesDone'),
    bytesTotal: orNull('bytesTotal'),
    bytesPerSecond: orNull('bytesPerSecond'),
    etaSeconds: orNull('etaSeconds'),
    text,
  };
}

/** An error's fields, in an object of its own or in an error reply (whose other keys `reply` checked). */
function errorSpec(value: unknown, path: string): ErrorSpec {
  const o = obj(value, path);
  if (!has(o, 'type')) known(o, path, ['code', 'message', 'action', 'retryable']);
  const code = oneOf(o, 'code', path, LLM_ERROR_CODES);
  return {
    code,
    message: has(o, 'message') ? str(o, 'message', path) : `${SCRIPTED_LLM_MARKER}: scripted ${code}`,
    action: has(o, 'action') ? str(o, 'action', path) : 'Nothing: this failure is scripted.',
    retryable: has(o, 'retryable') ? bool(o, 'retryable', path) : false,
  };
}

/**
 * The scripted LLM's tokens: a word or one symbol, with the whitespace before it, or trailing whitespace.
 * Close enough to a real tokenizer's shape (" return", "(") that streams and token counts look real, and
 * the pieces always concatenate back to the text.
 */
export function tokenize(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+/gu) ?? [];
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function known(value: unknown, path: string, keys: readonly string[]): Obj {
  const o = obj(value, path);
  const unknown = Object.keys(o).find((key) => !keys.includes(key));
  if (unknown !== undefined) throw new ShapeError(`${path}.${unknown}: unknown field (known: ${keys.join(', ')})`);
  return o;
}

function has(o: Obj, key: string): boolean {
  return o[key] !== undefined;
}

function count(o: Obj, key: string, path: string, min: number): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw new ShapeError(`${path}.${key}: not a number ≥ ${min}`);
  return value;
}

function positiveInt(o: Obj, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new ShapeError(`${path}.${key}: not an integer ≥ 1`);
  return value;
}

function delay(o: Obj, path: string): number {
  return has(o, 'delayMs') ? count(o, 'delayMs', path, 0) : 0;
}
