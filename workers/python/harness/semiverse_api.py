"""The harness's entry points for the TypeScript runner (workers/python/runner.ts).

Requests and replies are JSON text: Pyodide's automatic conversion is lossy (None becomes undefined,
tuples become arrays, int dict keys become strings), and JSON crosses to JS as one string.
"""

import json

import semiverse_doctest
import semiverse_extract
import semiverse_sandbox


def extract(request):
    req = json.loads(request)
    reply = semiverse_extract.extract_file(req["path"], req["text"], req.get("localModules", ()))
    return json.dumps(reply)


def run_doctest(request):
    job = json.loads(request)
    semiverse_sandbox.reset()
    return json.dumps(semiverse_doctest.run_doctest(job["program"], job["docstring"], job["name"]))


def run_tests(request):
    """Run assert-style tests after a program: {status: passed} or {status: error, exception}."""
    job = json.loads(request)
    semiverse_sandbox.reset()
    return json.dumps(semiverse_doctest.run_tests(job["program"], job["tests"]))
