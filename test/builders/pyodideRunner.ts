/**
 * The real runner over the pyodide npm package, for Node tests: the same harness the browser workers run.
 * Loading an interpreter takes ~2 s, so a test file loads one in beforeAll and shares it.
 */
import { loadPyodide } from 'pyodide';
import { installHarness, PYTHON_ENV, type Runner } from '../../workers/python/runner.ts';

export async function nodeRunner(): Promise<Runner> {
  const py = await loadPyodide({ env: { ...PYTHON_ENV }, stdout: () => {}, stderr: () => {} });
  return installHarness(py);
}
