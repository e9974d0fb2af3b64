/**
 * Native CPythons 3.8–3.13 as judges of syntax: which of them compile a source (`compile(src, 'x', 'exec')`,
 * nothing runs). Found by running them, never by reading the file system (test/setup/node.ts fails a test
 * file that reads outside the checkout): $SEMIVERSE_PYTHON_3_<minor>, then the newest 3.<minor>.x that
 * `pyenv versions --bare` lists (under `pyenv root`), then `python3.<minor>` on the PATH; each candidate
 * must report the right version to count.
 */
import { spawnSync } from 'node:child_process';

export const NATIVE_MINORS = [8, 9, 10, 11, 12, 13] as const;

const COMPILE = `
import json, sys, warnings
warnings.simplefilter("ignore")
out = []
for source in json.load(sys.stdin):
    try:
        compile(source, "x", "exec", dont_inherit=True)
        out.append(True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        out.append(False)
print(json.dumps(out))
`;

function run(command: string, args: string[], input?: string): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 256 << 20, timeout: 600_000 });
  return result.status === 0 ? result.stdout : null;
}

let pyenv: { root: string; versions: string[] } | null | undefined;

function pyenvVersions(): { root: string; versions: string[] } | null {
  if (pyenv !== undefined) return pyenv;
  const root = run('pyenv', ['root'])?.trim();
  const versions = run('pyenv', ['versions', '--bare'])
    ?.split('\n')
    .map((v) => v.trim());
  pyenv = root && versions ? { root, versions } : null;
  return pyenv;
}

const found = new Map<number, string | null>();

/** A native CPython 3.<minor>, or null when this machine has none. */
export function nativePythonFor(minor: number): string | null {
  if (found.has(minor)) return found.get(minor)!;
  const candidates: string[] = [];
  const fromEnv = process.env[`SEMIVERSE_PYTHON_3_${minor}`];
  if (fromEnv) candidates.push(fromEnv);
  const listed = pyenvVersions();
  if (listed) {
    const patch = (v: string) => Number(v.split('.')[2] ?? -1);
    const newest = listed.versions
      .filter((v) => new RegExp(`^3\\.${minor}\\.\\d+$`).test(v))
      .sort((a, b) => patch(b) - patch(a))[0];
    if (newest) candidates.push(`${listed.root}/versions/${newest}/bin/python3`);
  }
  candidates.push(`python3.${minor}`);
  const check = 'import sys; print("%d.%d" % sys.version_info[:2])';
  const python = candidates.find((c) => run(c, ['-c', check])?.trim() === `3.${minor}`) ?? null;
  found.set(minor, python);
  return python;
}

/** Whether `python` compiles each source. */
export function nativeCompiles(python: string, sources: readonly string[]): boolean[] {
  const out = run(python, ['-c', COMPILE], JSON.stringify(sources));
  if (out === null) throw new Error(`${python} could not compile the batch`);
  return JSON.parse(out) as boolean[];
}
