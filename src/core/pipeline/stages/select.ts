/**
 * Select: which functions the LLM stages can test by calling them with arguments. Module-level functions
 * and static or class methods whose standalone program runs with the standard library; everything else
 * gets its reason (a method that needs an instance, a function of no arguments, a generator, an async
 * function, a property, code that does I/O) and is counted in the funnel. A copy of another function
 * (core/dedup) goes first, before any Python runs: no GPU time goes to copies.
 */
import { blockerText, entryPoint } from '../../extract/composeProgram.ts';
import { PythonUnavailableError } from '../../run/errors.ts';
import { dropped, kept, type FunctionInput, type Stage } from '../stage.ts';

/** Behaviour flags (from extraction) that make a function's result depend on the world outside it. */
const IO_FLAGS = ['io', 'network', 'process', 'threads'];

export const select: Stage = async (input, _earlier, { python, signal }) => {
  const { fn, program, duplicate } = input;
  if (duplicate) return dropped('duplicate', duplicateDetail(duplicate));
  const blocker = fn.blockers[0];
  if (blocker) return dropped('not-standalone', blockerText(blocker));
  if (fn.kind === 'nested' || program === null) return dropped('not-standalone', 'It cannot run on its own.');
  const io = fn.flags.filter((flag) => IO_FLAGS.includes(flag));
  if (io.length > 0) return dropped('io', `It uses ${io.join(', ')}: its result depends on more than its arguments.`);

  const entry = entryPoint(fn);
  const info = await python.describeEntry(program, entry, signal);
  if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
  if (!info.found) return dropped('no-entry', info.detail);
  if (info.kind === 'method')
    return dropped('needs-instance', 'A method of an instance: calling it needs an object to call it on.');
  if (info.kind === 'property') return dropped('property', 'A property: it is read, not called with arguments.');
  if (info.generator) return dropped('generator', 'It yields values one at a time (a generator).');
  if (info.isAsync) return dropped('async', 'An async function.');
  if (info.params.max === 0 && !info.params.varkw)
    return dropped('no-arguments', 'It takes no arguments: there is nothing to vary in a test.');
  const { names, required, max } = info.params;
  return kept({
    stage: 'select',
    entryPoint: entry,
    kind: info.kind,
    params: { names, required, max },
    signature: fn.signature,
  });
};

function duplicateDetail({ qualname, path, kind, similarity }: NonNullable<FunctionInput['duplicate']>): string {
  const how = kind === 'exact' ? 'exact' : `near, Jaccard ${similarity.toFixed(2)}`;
  return `A copy of ${qualname} in ${path} (${how}): that one is kept.`;
}
