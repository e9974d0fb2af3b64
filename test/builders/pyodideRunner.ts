/**
 * The real runner over the pyodide npm package, for Node tests: the same harness the browser workers run.
 * Loading an interpreter takes ~2 s, so a test file loads one in beforeAll and shares it.
 */
import { loadPyodide } from 'pyodide';
import { installHarness, PYTHON_ENV, type Runner } from '../../workers/python/runner.ts';

/** `hashSeed` is the interpreter's PYTHONHASHSEED (fixed for its life, as in a browser worker). */
export async function nodeRunner(hashSeed = 0): Promise<Runner> {
  const env = { ...PYTHON_ENV, PYTHONHASHSEED: String(hashSeed) };
  const py = await loadPyodide({ env, stdout: () => {}, stderr: () => {} });
  return installHarness(py);
}
