/**
 * A corpus of real code for the LLM pipeline's Node tests: HumanEval's and MBPP's reference solutions, one
 * `.py` file per task (HumanEval: prompt + canonical_solution; MBPP: code), and for every top-level
 * function in them the replies of a model that knows the task (corpusLlm.ts):
 * - instruction: the task's own words. HumanEval: the entry point's docstring without its `>>>` examples;
 *   MBPP: `text` ("Write a function to …"), its opener swapped for the request's;
 * - probe: the literal arguments of the calls to the entry point in the benchmark's own tests (a call with
 *   any argument that is not a literal is left out, as are keyword calls: the probe's JSON holds positional
 *   lists);
 * - solution: the reference program (so the round trip must succeed; what fails is the pipeline's doing).
 * Helper functions the program defines beside the entry point (HumanEval/10's `is_palindrome`, MBPP's
 * `is_Power_Of_Two`) get replies too: their docstring (else the task's text), and the arguments they are
 * called with while the benchmark's tests run, where those read back as literals (random seeded at 0).
 * Everything is read with native CPython's ast (3.12+, nativeTests.ts), not with the code under test.
 *
 * The slice is fixed: the first `humanEval` HumanEval tasks and the first `mbpp` MBPP tasks in file order
 * (the defaults, 40 + 40, are what llmPipelineCorpus.test.ts runs). A task whose function names repeat a
 * name seen earlier in the slice is left out (the scripted model finds a function's requests by name) and
 * listed in `skipped`.
 */
import { execFileSync } from 'node:child_process';
import { humanEval, mbpp } from './benchmarks.ts';
import type { ScriptedFunction } from './corpusLlm.ts';
import type { FileMap } from './fsFolder.ts';
import { nativePython } from './nativeTests.ts';

export type BenchmarkTask = {
  id: string;
  /** The corpus file: `humaneval/HumanEval_0.py`, `mbpp/mbpp_2.py`. */
  path: string;
  program: string;
  entryPoint: string;
  /** Every top-level function of the program (the entry point among them). */
  functions: string[];
  /** How many literal calls of the entry point its tests hold. */
  literalCalls: number;
};

export type BenchmarkCorpus = {
  files: FileMap;
  tasks: BenchmarkTask[];
  functions: ScriptedFunction[];
  skipped: { id: string; why: string }[];
};

type Job = {
  id: string;
  program: string;
  test: string;
  callee: string | null;
  entry: string | null;
  text: string | null;
};

type Found = {
  entryPoint: string | null;
  calls: string[][];
  functions: { name: string; prose: string | null; traced: string[][] }[];
};

/** Reads each job with ast; runs the tests only to see the helpers' arguments (forked, with a time limit). */
const READ = `
import ast, json, os, random, signal, sys, warnings
warnings.simplefilter("ignore")  # MBPP's code has escapes such as '\\\\w' in plain strings

def literal(node):
    try:
        ast.literal_eval(node)
        return True
    except Exception:
        return False

def prose(doc):
    if not doc:
        return None
    lines = []
    for line in doc.splitlines():
        if line.strip().startswith(">>>"):
            break
        lines.append(line)
    text = "\\n".join(lines).strip()
    return text or None

def literal_repr(value):
    try:
        text = repr(value)
        return text if len(text) <= 200 and ast.literal_eval(text) == value else None
    except Exception:
        return None

def traced_args(job, names):
    """Positional arguments each helper in names is called with while the tests run (first 8 distinct)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        seen = {name: [] for name in names}
        def profile(frame, event, arg):
            name = frame.f_code.co_name
            if event != "call" or name not in seen or frame.f_globals.get("__name__") != "__corpus__":
                return
            code = frame.f_code
            args = [frame.f_locals.get(v) for v in code.co_varnames[: code.co_argcount]]
            texts = [literal_repr(a) for a in args]
            if all(t is not None for t in texts) and texts not in seen[name] and len(seen[name]) < 8:
                seen[name].append(texts)
        random.seed(0)
        signal.alarm(20)
        sys.stdout = open(os.devnull, "w")
        try:
            namespace = {"__name__": "__corpus__"}
            exec(compile(job["program"], "<program>", "exec"), namespace)
            sys.setprofile(profile)
            exec(compile(job["test"], "<test>", "exec"), namespace)
            if job["callee"] == "candidate":
                namespace["check"](namespace[job["entry"]])
        except BaseException:
            pass
        sys.setprofile(None)
        with os.fdopen(write, "w") as pipe:
            pipe.write(json.dumps(seen))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(text) if text else {name: [] for name in names}

out = []
for job in json.load(sys.stdin):
    tree = ast.parse(job["program"])
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    names = [d.name for d in defs]
    test = ast.parse(job["test"])
    calls = [n for n in ast.walk(test) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    ordered = sorted(calls, key=lambda c: (c.lineno, c.col_offset))
    callee = job["callee"] or next((c.func.id for c in ordered if c.func.id in names), None)
    entry = job["entry"] or callee
    cases = []
    for node in ordered:
        if node.func.id != callee or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            continue
        if not all(literal(a) for a in node.args):
            continue
        case = [ast.get_source_segment(job["test"], a) for a in node.args]
        if case not in cases:
            cases.append(case)
    helpers = [name for name in names if name != entry]
    traced = traced_args(job, helpers) if helpers else {}
    functions = [{"name": d.name, "prose": prose(ast.get_docstring(d)), "traced": traced.get(d.name, [])} for d in defs]
    out.append({"entryPoint": entry, "calls": cases, "functions": functions})
print(json.dumps(out))
`;

/** MBPP's "Write a python function to …": the words after the opener, which the request's opener replaces. */
function afterOpener(text: string): string | null {
  const m = /^\s*write\s+an?\s+(?:python\s+)?(?:function|program)\s+(.*)$/is.exec(text);
  return m ? m[1]!.trim() : null;
}

function instructionFor(entry: string, fn: Found['functions'][number], task: Job): string {
  const named = `named \`${fn.name}\``;
  if (fn.name !== entry) {
    const what = fn.prose ?? `used by \`${entry}\`, for this task: ${task.text ?? ''}`;
    return `${named}, a helper: ${what}`;
  }
  if (task.text !== null) {
    const rest = afterOpener(task.text);
    return rest ? `${named} ${rest}` : `${named}. ${task.text.trim()}`;
  }
  return `${named}. ${fn.prose ?? ''}`.trim();
}

export function benchmarkCorpus(
  slice: { humanEval: number; mbpp: number } = { humanEval: 40, mbpp: 40 },
): BenchmarkCorpus {
  const jobs: (Job & { path: string })[] = [
    ...humanEval()
      .slice(0, slice.humanEval)
      .map((t) => ({
        id: t.task_id,
        path: `humaneval/${t.task_id.replace('/', '_')}.py`,
        program: t.prompt + t.canonical_solution,
        test: t.test,
        callee: 'candidate',
        entry: t.entry_point,
        text: null,
      })),
    ...mbpp()
      .slice(0, slice.mbpp)
      .map((t) => ({
        id: `mbpp/${t.task_id}`,
        path: `mbpp/mbpp_${t.task_id}.py`,
        program: t.code.replace(/\r\n?/g, '\n'),
        test: [t.test_setup_code, ...t.test_list].join('\n'),
        callee: null,
        entry: null,
        text: t.text,
      })),
  ];
  const out = execFileSync(nativePython(), ['-c', READ], { input: JSON.stringify(jobs), maxBuffer: 64 << 20 });
  const found = JSON.parse(out.toString('utf8')) as Found[];
  const corpus: BenchmarkCorpus = { files: {}, tasks: [], functions: [], skipped: [] };
  const names = new Set<string>();
  found.forEach((f, i) => {
    const job = jobs[i]!;
    const entry = f.entryPoint;
    if (entry === null)
      return void corpus.skipped.push({ id: job.id, why: 'its tests call no function of its program' });
    const clash = f.functions.find((fn) => names.has(fn.name));
    if (clash) return void corpus.skipped.push({ id: job.id, why: `\`${clash.name}\` is defined by an earlier task` });
    for (const fn of f.functions) names.add(fn.name);
    corpus.files[job.path] = job.program;
    corpus.tasks.push({
      id: job.id,
      path: job.path,
      program: job.program,
      entryPoint: entry,
      functions: f.functions.map((fn) => fn.name),
      literalCalls: f.calls.length,
    });
    for (const fn of f.functions)
      corpus.functions.push({
        entryPoint: fn.name,
        instructions: [instructionFor(entry, fn, job)],
        cases: fn.name === entry ? f.calls : fn.traced,
        solution: job.program.trimEnd(),
      });
  });
  return corpus;
}
