"""The harness's entry points for the TypeScript runner (workers/python/runner.ts).

Requests and replies are JSON text: Pyodide's automatic conversion is lossy (None becomes undefined,
tuples become arrays, int dict keys become strings), and JSON crosses to JS as one string. Every run of
untrusted code is wrapped in semiverse_sandbox.begin()/end(), whatever happens inside.
"""

import importlib
import json

import semiverse_call
import semiverse_canon
import semiverse_doctest
import semiverse_extract
import semiverse_sandbox
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


# Last, once this module is complete: the snapshot is what every run is restored to.
semiverse_sandbox.start()
