/**
 * New argument sets come back from a worker: check their shape (every argument a string, keyword names
 * strings) before they are stored or run. A reply that does not fit throws a ShapeError (the pool turns it
 * into `crashed`). The literals themselves are checked again when they run (runCases reads each one).
 */
import type { CaseArgs, MutateResult } from '../../domain/cases.ts';
import { ShapeError, asString, list, obj } from '../../lib/guard.ts';

export function parseMutateReply(value: unknown): MutateResult {
  const r = obj(value, 'reply');
  return { kind: 'mutated', cases: list(r, 'cases', 'reply', parseArgs) };
}

function parseArgs(value: unknown, path: string): CaseArgs {
  const c = obj(value, path);
  const args = list(c, 'args', path, asString);
  if (c['kwargs'] === undefined) return { args };
  const entries = Object.entries(obj(c['kwargs'], `${path}.kwargs`));
  for (const [name, text] of entries) {
    if (typeof text !== 'string') throw new ShapeError(`${path}.kwargs.${name}: not a string`);
  }
  // fromEntries defines own properties, so a keyword named __proto__ stays a keyword.
  return { args, kwargs: Object.fromEntries(entries) as Record<string, string> };
}
