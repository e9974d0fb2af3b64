/**
 * Native CPython (the machine's python3) as the reference the browser's Python is checked against:
 * function counts from its own `ast`, and exported samples re-run the way a dataset consumer would run
 * them (program + tests, one fresh process per sample).
 */
import { execFileSync } from 'node:child_process';

const COUNT = `
import ast, json, sys
out = {}
for path, text in json.load(sys.stdin):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        out[path] = None
        continue
    out[path] = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(tree))
print(json.dumps(out))
`;

const RERUN = `
import json, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
def run(code):
    try:
        r = subprocess.run([sys.executable, "-"], input=code.encode(), capture_output=True, timeout=60, cwd="/tmp")
        return {"ok": r.returncode == 0, "stderr": r.stderr.decode(errors="replace")[-2000:]}
    except subprocess.TimeoutExpired:
        return {"ok": False, "stderr": "timeout"}
codes = json.load(sys.stdin)
with ThreadPoolExecutor(4) as pool:
    print(json.dumps(list(pool.map(run, codes))))
`;

function python(script: string, input: unknown): unknown {
  const out = execFileSync('python3', ['-c', script], { input: JSON.stringify(input), maxBuffer: 256 << 20 });
  return JSON.parse(out.toString('utf8')) as unknown;
}

export function nativeFunctionCounts(files: { path: string; text: string }[]): Record<string, number | null> {
  return python(
    COUNT,
    files.map((f) => [f.path, f.text]),
  ) as Record<string, number | null>;
}

/** Each code string run as its own `python3 -` process; ok when it exits 0. */
export function nativeRun(codes: string[]): { ok: boolean; stderr: string }[] {
  return python(RERUN, codes) as { ok: boolean; stderr: string }[];
}
