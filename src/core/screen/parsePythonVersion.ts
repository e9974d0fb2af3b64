/**
 * The Python version reply of a worker (semiverse_version.py), checked at the boundary: "3.8" to "3.14",
 * or null when no version's grammar accepts the code. Anything else throws (the pool turns that into a
 * failed call, never into a version).
 */
const VERSION = /^3\.(?:[89]|1[0-4])$/;

export function parsePythonVersion(value: unknown): string | null {
  const reply = value as { version?: unknown; reasons?: unknown } | null;
  if (reply === null || typeof reply !== 'object' || !('version' in reply))
    throw new Error('not a Python version reply');
  if (reply.version === null) return null;
  if (typeof reply.version === 'string' && VERSION.test(reply.version)) return reply.version;
  throw new Error(`not a Python version: ${JSON.stringify(reply.version)?.slice(0, 40)}`);
}
