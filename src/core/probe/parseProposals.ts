/**
 * Test inputs from a probe reply. Every argument comes back as Python literal TEXT; nothing is evaluated
 * here (Python does that in the sandbox, and drops what does not evaluate).
 *
 * Accepted, because models write them: the JSON in a fence or with prose around it; a bare array of cases
 * or of argument lists instead of the object; another key for the list ("test_cases", "inputs") or for a
 * case's arguments ("arguments", "inputs"); arguments as JSON values instead of strings (converted to
 * literal text, `converted: true`); arguments as an object of named parameters (mapped by the signature's
 * names); a single argument given bare for a one-parameter function; comments and trailing commas.
 *
 * Dropped, each with a reason:
 * - `not-json`: no JSON found, or a case that is not valid JSON (e.g. single quotes);
 * - `truncated`: the reply ends inside a case (every complete case before the cut is kept);
 * - `wrong-shape`: JSON, but not cases (a case without arguments, an object without a list of cases);
 * - `not-a-string`: a case whose arguments are one scalar although the function takes several;
 * - `arity`: too few or too many arguments, unknown or missing named arguments;
 * - `empty`: a blank argument, or a reply whose list of cases is empty;
 * - `too-long`: a case whose arguments exceed MAX_CASE_CHARS (inputs are meant to be small);
 * - `duplicate`: the same arguments as an earlier case (or one in `seen`), whitespace outside strings
 *   ignored.
 */
import type { Reply } from '../llmText/caps.ts';
import { fencedBlocks } from '../llmText/fence.ts';
import { stripSpecialTokens } from '../llmText/specialTokens.ts';
import { JsonFail, JsonReader, type Element, type Json } from './lenientJson.ts';
import { literalKey, pythonLiteral } from './pythonLiteral.ts';

export type ProbeDropReason =
  'not-json' | 'truncated' | 'wrong-shape' | 'arity' | 'not-a-string' | 'empty' | 'duplicate' | 'too-long';

export type ProbeCase = {
  /** One Python literal per positional argument. */
  args: string[];
  /** Some argument was a JSON value, not a string, and was converted to literal text. */
  converted: boolean;
};

export type Proposals = { cases: ProbeCase[]; dropped: { reason: ProbeDropReason; detail: string }[] };

export type ProposalArity = { min: number; max: number | null; names: readonly string[] };

/** Total length of one case's literals; EvalPlus-style seeds are small, and every case is stored. */
export const MAX_CASE_CHARS = 2000;

const CASE_LIST_KEYS = ['cases', 'test_cases', 'testcases', 'tests', 'inputs', 'examples'];
const ARG_KEYS = ['args', 'arguments', 'inputs', 'input', 'params', 'parameters'];

type Drop = Proposals['dropped'][number];
type Found = { elements: Element[]; closed: boolean } | { single: Json } | null;

const snippet = (text: string) => JSON.stringify(text.trim().slice(0, 80));

const isScalar = (e: Element) => e.ok && e.value.t !== 'object' && e.value.t !== 'array';

/** The list of cases in `text` from `start` (a '{' or '['), or null when that is not where the cases are. */
function casesAt(text: string, start: number): Found {
  const reader = new JsonReader(text, start);
  if (text[start] === '[') {
    const { elements, closed } = reader.readArray();
    const shaped = elements.some((e) => e.ok && (e.value.t === 'object' || e.value.t === 'array'));
    return shaped || elements.length === 0 ? { elements, closed } : null;
  }
  // An object, read key by key so that the list of cases is read element by element whatever follows it.
  reader.pos++;
  for (;;) {
    if (reader.peek() !== '"') return null;
    let key: string;
    try {
      key = reader.string().toLowerCase();
      if (reader.peek() !== ':') return null;
      reader.pos++;
    } catch {
      return null;
    }
    const list = CASE_LIST_KEYS.includes(key);
    const args = ARG_KEYS.includes(key);
    if ((list || args) && reader.peek() === '[') {
      const { elements, closed } = reader.readArray();
      // `{"args": ["1", "2"]}`: one case, not wrapped in a list.
      if (args && (!list || (elements.length > 0 && elements.every(isScalar)))) {
        const bad =
          elements.find((e) => !e.ok) ??
          (closed
            ? null
            : { ok: false as const, fail: new JsonFail('eof', reader.pos, 'cut'), text: text.slice(start) });
        if (bad) return { elements: [bad], closed };
        return { single: { t: 'array', items: elements.flatMap((e) => (e.ok ? [e.value] : [])) } };
      }
      return { elements, closed };
    }
    try {
      const value = reader.value();
      if (args) return { single: value };
    } catch {
      return null;
    }
    if (reader.peek() !== ',') return null;
    reader.pos++;
  }
}

/** Where the JSON is: fenced blocks first, then the text; the first '{' or '[' that holds cases. */
function findCases(text: string): Found {
  const sources = [...fencedBlocks(text).map((b) => b.body), text];
  for (const source of sources) {
    let tries = 0;
    for (let at = source.search(/[[{]/); at !== -1 && tries < 40; tries++) {
      let found: Found;
      try {
        found = casesAt(source, at);
      } catch (error) {
        if (error instanceof JsonFail && error.fatal) return null;
        throw error;
      }
      if (found) return found;
      const next = source.slice(at + 1).search(/[[{]/);
      at = next === -1 ? -1 : at + 1 + next;
    }
  }
  return null;
}

function literal(value: Json): { text: string; converted: boolean } {
  return value.t === 'string'
    ? { text: value.v.trim(), converted: false }
    : { text: pythonLiteral(value), converted: true };
}

function caseArgs(
  value: Json,
  arity: ProposalArity,
): { ok: true; args: string[]; converted: boolean } | { ok: false; drop: Drop } {
  const shown = snippet(pythonLiteral(value));
  let args: Json | undefined;
  if (value.t === 'array') args = value;
  else if (value.t === 'object') {
    args = value.entries.find(([k]) => ARG_KEYS.includes(k.toLowerCase()))?.[1];
    if (args === undefined)
      return { ok: false, drop: { reason: 'wrong-shape', detail: `a case without "args": ${shown}` } };
  } else args = value;

  if (args.t === 'array') {
    const items = args.items.map(literal);
    return { ok: true, args: items.map((i) => i.text), converted: items.some((i) => i.converted) };
  }
  if (args.t === 'object') return named(args.entries, arity, shown);
  // One scalar: an argument list of one, if the function takes one argument.
  if (arity.min <= 1 && (arity.max === null || arity.max >= 1) && (arity.min === 1 || arity.max === 1)) {
    const item = literal(args);
    return { ok: true, args: [item.text], converted: item.converted };
  }
  return { ok: false, drop: { reason: 'not-a-string', detail: `arguments are one value, not a list: ${shown}` } };
}

function named(entries: [string, Json][], arity: ProposalArity, shown: string) {
  const unknown = entries.map(([k]) => k).filter((k) => !arity.names.includes(k));
  if (unknown.length > 0)
    return {
      ok: false as const,
      drop: { reason: 'arity' as const, detail: `unknown parameter ${unknown.join(', ')}: ${shown}` },
    };
  const byName = new Map(entries);
  const args: string[] = [];
  let converted = false;
  let last = -1;
  arity.names.forEach((name, i) => {
    const value = byName.get(name);
    if (value === undefined) return;
    last = i;
    const item = literal(value);
    args[i] = item.text;
    converted ||= item.converted;
  });
  const gaps = arity.names.slice(0, Math.max(last + 1, arity.min)).filter((_, i) => args[i] === undefined);
  if (gaps.length > 0)
    return {
      ok: false as const,
      drop: { reason: 'arity' as const, detail: `missing parameter ${gaps.join(', ')}: ${shown}` },
    };
  return { ok: true as const, args, converted };
}

export function parseProposals(
  reply: Reply,
  arity: ProposalArity,
  options: { seen?: readonly (readonly string[])[] } = {},
): Proposals {
  const text = stripSpecialTokens(reply.text);
  const out: Proposals = { cases: [], dropped: [] };
  if (text.trim() === '') {
    out.dropped.push({ reason: 'empty', detail: 'the reply is empty' });
    return out;
  }
  const found = findCases(text);
  if (found === null) {
    const cut = reply.finishReason === 'length';
    out.dropped.push({
      reason: cut ? 'truncated' : 'not-json',
      detail: `${cut ? 'cut at the token limit before any case' : 'no JSON list of cases'}: ${snippet(text)}`,
    });
    return out;
  }
  const elements: Element[] = 'single' in found ? [{ ok: true, value: found.single }] : found.elements;
  if (elements.length === 0) {
    const open = 'closed' in found && !found.closed;
    out.dropped.push(
      open
        ? { reason: 'truncated', detail: 'the reply ends before the first case' }
        : { reason: 'empty', detail: 'the list of cases is empty' },
    );
  }

  const seen = new Set((options.seen ?? []).map((args) => args.map(literalKey).join('\u0000')));
  for (const element of elements) {
    if (!element.ok) {
      const eof = element.fail.kind === 'eof';
      out.dropped.push({
        reason: eof ? 'truncated' : 'not-json',
        detail: `${eof ? 'the reply ends inside a case' : element.fail.message}: ${snippet(element.text)}`,
      });
      continue;
    }
    const read = caseArgs(element.value, arity);
    if (!read.ok) {
      out.dropped.push(read.drop);
      continue;
    }
    const { args, converted } = read;
    const shown = `(${args.join(', ')})`.slice(0, 120);
    if (args.some((a) => a === '')) out.dropped.push({ reason: 'empty', detail: `a blank argument: ${shown}` });
    else if (args.length < arity.min || (arity.max !== null && args.length > arity.max))
      out.dropped.push({
        reason: 'arity',
        detail: `${args.length} arguments, the function takes ${arity.max === arity.min ? arity.min : `${arity.min} to ${arity.max ?? 'any'}`}: ${shown}`,
      });
    else if (args.reduce((n, a) => n + a.length, 0) > MAX_CASE_CHARS)
      out.dropped.push({ reason: 'too-long', detail: `arguments longer than ${MAX_CASE_CHARS} characters` });
    else {
      const key = args.map(literalKey).join('\u0000');
      if (seen.has(key)) out.dropped.push({ reason: 'duplicate', detail: shown });
      else {
        seen.add(key);
        out.cases.push({ args, converted });
      }
    }
  }
  return out;
}
