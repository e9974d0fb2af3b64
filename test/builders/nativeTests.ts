/**
 * Generated tests run the way a dataset consumer runs them: native CPython 3.12 or later (exported code may
 * use 3.12 syntax; the machine's python3 is older), one fresh process per program, the program first, then
 * the helper and the tests in order in the same namespace. Each test's own outcome is reported, with a
 * per-test time limit (a wrong program may loop forever on an input), and whether program, helper and
 * tests also compile as one file (as they are exported).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type NativeSuite = { program: string; helper?: string | null; tests: string[] };
/** `program`/`helper`: null when they ran, else the exception; `tests`: null per passing test, else why not. */
export type NativeSuiteRun = {
  program: string | null;
  helper: string | null;
  tests: (string | null)[];
  oneFile: boolean;
};

let found: string | null = null;

/**
 * $SEMIVERSE_NATIVE_PYTHON, else pyenv's 3.13.0 (DESIGN: under pyenv on these machines), else python3.13,
 * python3.12 or python3 from the PATH, whichever is 3.12 or later. Found by running them, not by reading
 * the file system (test/setup/node.ts fails a test file that reads outside the checkout).
 */
export function nativePython(): string {
  if (found) return found;
  const candidates = [
    process.env['SEMIVERSE_NATIVE_PYTHON'],
    join(homedir(), '.pyenv', 'versions', '3.13.0', 'bin', 'python3'),
    'python3.13',
    'python3.12',
    'python3',
  ].filter((c): c is string => Boolean(c));
  const recent = 'import sys; print(sys.version_info >= (3, 12))';
  found = candidates.find((c) => spawnSync(c, ['-c', recent], { encoding: 'utf8' }).stdout?.trim() === 'True') ?? null;
  if (!found) throw new Error(`no CPython 3.12+ among ${candidates.join(', ')}: set SEMIVERSE_NATIVE_PYTHON to one`);
  return found;
}

/** Runs one suite in a forked child: `run_suite(job)` gives its outcome. */
const SUITE = `
import io, signal, sys

class TimeLimit(BaseException):
    pass

def expire(signum, frame):
    raise TimeLimit("ran past the time limit")

def run_suite(job):
    sys.stdout = io.StringIO()  # what the program and tests print is not this process's answer
    signal.signal(signal.SIGALRM, expire)

    def run(source, name):
        signal.setitimer(signal.ITIMER_REAL, job["limit"])
        try:
            exec(compile(source, name, "exec"), namespace)
            return None
        except BaseException as error:
            return f"{type(error).__name__}: {error}"[:500]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    namespace = {"__name__": "__main__"}
    out = {"program": run(job["program"], "<program>"), "helper": None, "tests": []}
    if job.get("helper"):
        out["helper"] = run(job["helper"], "<helper>")
    for index, test in enumerate(job["tests"]):
        out["tests"].append(run(test, f"<test {index}>"))
    try:
        compile("\\n\\n".join([job["program"], job.get("helper") or "", *job["tests"]]), "<file>", "exec")
        out["oneFile"] = True
    except SyntaxError:
        out["oneFile"] = False
    return out
`;

/**
 * Forks a child per suite (a fresh process without paying for an interpreter's start: ~50 ms a suite with
 * one process each), three at a time; a child that dies or outlives CHILD_LIMIT_S is reported as failed.
 */
const PARENT = `
import json, os, select, signal, sys, time
exec(compile(sys.argv[1], "<suite>", "exec"))
CHILD_LIMIT_S = 600
suites = json.load(sys.stdin)
results = [None] * len(suites)
running = {}  # read end of the child's pipe -> [index, pid, chunks, started]
upcoming = 0
while upcoming < len(suites) or running:
    while upcoming < len(suites) and len(running) < 3:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                answer = json.dumps(run_suite(suites[upcoming])).encode()
            except BaseException as error:
                answer = json.dumps({"program": f"the test process failed: {error!r}", "helper": None, "tests": [], "oneFile": False}).encode()
            with os.fdopen(write, "wb") as pipe:
                pipe.write(answer)
            os._exit(0)
        os.close(write)
        running[read] = [upcoming, pid, [], time.monotonic()]
        upcoming += 1
    ready, _, _ = select.select(list(running), [], [], 1.0)
    for fd in ready:
        data = os.read(fd, 1 << 16)
        if data:
            running[fd][2].append(data)
            continue
        index, pid, chunks, _ = running.pop(fd)
        os.close(fd)
        os.waitpid(pid, 0)
        text = b"".join(chunks)
        results[index] = json.loads(text) if text else {"program": "the test process died", "helper": None, "tests": [], "oneFile": False}
    for fd, (index, pid, chunks, started) in list(running.items()):
        if time.monotonic() - started > CHILD_LIMIT_S:
            os.kill(pid, signal.SIGKILL)
print(json.dumps(results))
`;

/** Run each suite in its own native CPython process; `limitS`: seconds each test may take. */
export function runNatively(suites: NativeSuite[], limitS = 5): NativeSuiteRun[] {
  const input = JSON.stringify(suites.map((s) => ({ ...s, limit: limitS })));
  const out = execFileSync(nativePython(), ['-c', PARENT, SUITE], { input, maxBuffer: 256 << 20 });
  return JSON.parse(out.toString('utf8')) as NativeSuiteRun[];
}
