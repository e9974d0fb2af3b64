"""The harness's entry points for the TypeScript runner (workers/python/runner.ts).

Requests and replies are JSON text: Pyodide's automatic conversion is lossy (None becomes undefined,
tuples become arrays, int dict keys become strings), and JSON crosses to JS as one string. Every run of
untrusted code is wrapped in semiverse_sandbox.begin()/end(), whatever happens inside.
"""

import importlib
import json
import sys
import time

import semiverse_call
import semiverse_canon
import semiverse_cases
import semiverse_deadline
import semiverse_doctest
import semiverse_entry
import semiverse_extract
import semiverse_mutate
import semiverse_mutants
import semiverse_normalise
import semiverse_sandbox
import semiverse_version
from semiverse_errors import exception_info

# Imported once here so the snapshot holds them: a run's own imports are dropped after it (a module it
# imported could carry its changes), so modules most code uses would otherwise be imported on every run.
PRELOAD = (
    "math", "re", "collections", "itertools", "functools", "string", "datetime", "decimal", "fractions",
    "random", "heapq", "bisect", "operator", "statistics", "typing", "dataclasses", "enum", "textwrap",
    "copy", "hashlib", "string", "unicodedata", "numbers", "abc", "contextlib", "io", "array",
)  # fmt: skip
for _name in PRELOAD:
    importlib.import_module(_name)


def _sandboxed(run, job):
    semiverse_sandbox.begin(job.get("seed", semiverse_sandbox.DEFAULT_SEED))
    try:
        return run()
    finally:
        semiverse_sandbox.end()


def runtime(request):
    """The Python that runs the code, as it reports itself: the export names it on every sample."""
    import platform
    import sys

    try:
        import pyodide

        host = "Pyodide " + pyodide.__version__
    except ImportError:
        host = sys.platform
    return json.dumps({"python": f"{platform.python_implementation()} {platform.python_version()}", "host": host})


def describe_entry(request):
    """What kind of callable an entry point is: reads the program's source, runs none of it."""
    job = json.loads(request)
    try:
        return json.dumps(semiverse_entry.describe(job["program"], job["entryPoint"]))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return json.dumps({"found": False, "detail": f"{type(error).__name__}: {error}"})


def python_version(request):
    """The oldest Python 3.8-3.14 whose grammar accepts every source: parses and compiles, runs nothing."""
    job = json.loads(request)
    try:
        return json.dumps(semiverse_version.minimum_version(job["sources"]))
    except (RecursionError, MemoryError) as error:
        return json.dumps({"version": None, "reasons": [f"{type(error).__name__}: {error}"]})


def mutants(request):
    """Programs with one small change in the entry function each: reads and rewrites source, runs none."""
    job = json.loads(request)
    return json.dumps(semiverse_mutants.mutants(job["program"], job["entryPoint"], int(job.get("limit", 20))))


def normalise_functions(request):
    """Per function of one file (by its `def` line), the hash of its normalised AST and its tokens, for
    dedup: parsing and tokenizing run no code of the file, so no sandbox round trip is needed."""
    job = json.loads(request)
    return json.dumps(semiverse_normalise.normalise(job["text"], [int(line) for line in job["linenos"]]))


def extract(request):
    """Parsing runs no code of the file: no sandbox round trip needed."""
    req = json.loads(request)
    return json.dumps(semiverse_extract.extract_file(req["path"], req["text"], req.get("localModules", ())))


def run_doctest(request):
    job = json.loads(request)
    reply = _sandboxed(lambda: semiverse_doctest.run_doctest(job["program"], job["docstring"], job["name"]), job)
    return json.dumps(reply)


def run_tests(request):
    """Run assert-style tests after a program."""
    job = json.loads(request)
    return json.dumps(_sandboxed(lambda: semiverse_doctest.run_tests(job["program"], job["tests"]), job))


def run_call(request):
    """Run a program, then evaluate an expression: its canonical value, output and exceptions."""
    job = json.loads(request)
    reply, value = _sandboxed(lambda: semiverse_call.run_call(job["program"], job["expression"]), job)
    if semiverse_call.has_value(value):
        with semiverse_sandbox.capture():  # a __repr__ that prints is not the call's output
            try:
                tree, ran_user_code = semiverse_canon.canonical(value)
                reply.update(value=tree, text=semiverse_canon.text(tree))
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # e.g. a __repr__ that raises or recurses without end
                reply = {"kind": "exception", "phase": "value", **exception_info(error), "stdout": reply["stdout"], "stderr": reply["stderr"]}
                ran_user_code = True
        if ran_user_code:
            semiverse_sandbox.end()  # the value's own methods ran: undo what they did too
    return json.dumps(reply)


def _with_deadline(job, deadline):
    """Run a cases job with a per-case time budget (semiverse_deadline), inside the sandbox."""

    def run():
        try:
            return semiverse_cases.run(job, before_case=deadline.restart)
        finally:
            sys.settrace(None)

    return _sandboxed(run, job)


def _finished(batch):
    with semiverse_sandbox.capture():  # a __repr__ that prints is not the call's output
        reply, ran_user_code = semiverse_cases.finish(batch)
    if ran_user_code:
        semiverse_sandbox.end()  # the values' own methods ran: undo what they did too
    return reply


def run_cases(request):
    """Run a program, then its entry point on many argument sets: canonical values, output, coverage and
    tests, all built once the interpreter is restored (see semiverse_cases). With `caseBudget`
    ({maxMs, slowFactor?, floorMs?}) each case runs within its own budget; one past it raised CaseDeadline."""
    job = json.loads(request)
    budget = job.get("caseBudget")
    if budget:
        deadline = semiverse_deadline.Deadline(
            time.perf_counter, budget["maxMs"] / 1000, budget.get("slowFactor"), budget.get("floorMs", 50) / 1000
        )
        batch = _with_deadline(job, deadline)
    else:
        batch = _sandboxed(lambda: semiverse_cases.run(job), job)
    return json.dumps(_finished(batch))


def run_mutants(request):
    """Each mutant program on the same cases, each case within its own budget (a mutant often loops forever,
    e.g. `i += 0`: that costs the budget, not the call): per mutant, the cases' outcomes as run_cases gives
    them, or the {"ok": false, ...} reply of a mutant that does not load. Compared with the original's
    outside."""
    job = json.loads(request)
    budget = max(0.002, float(job.get("budgetMs", 100)) / 1000)
    replies = []
    for program in job["programs"]:
        mutant_job = {**job, "program": program, "coverage": False, "tests": False}
        replies.append(_finished(_with_deadline(mutant_job, semiverse_deadline.Deadline(time.perf_counter, budget))))
    return json.dumps(replies)


def mutate_cases(request):
    """New argument sets from given ones. Parsing and mutating literals runs no code of the program: no
    sandbox round trip needed."""
    return json.dumps(semiverse_mutate.mutate_cases(json.loads(request)))


# Last, once this module is complete: the snapshot is what every run is restored to.
semiverse_sandbox.start()
