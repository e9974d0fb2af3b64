/**
 * Run a script with the machine's python3 (the native baseline of every bench) and return its stdout.
 * stdin is /dev/null, like the app's workers (stdin at EOF): a doctest that reads input gets EOF.
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';

export async function python3(script: string, args: string[]): Promise<string> {
  const child = spawn('python3', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`${basename(script)} exited with ${code}: ${stderr.slice(-2000)}`);
  return stdout;
}
