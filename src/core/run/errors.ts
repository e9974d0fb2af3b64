/** Why a run stopped (faults of the environment, not outcomes of the code being run). */

export class PythonUnavailableError extends Error {
  override name = 'PythonUnavailableError';
}
