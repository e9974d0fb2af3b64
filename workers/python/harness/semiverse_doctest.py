"""Semiverse natural-mode verifier: run a function's doctests against its standalone program.

Reply shape: `RunOutcome` in src/domain/verify.ts (minus `timeout` and `crashed`, which only the worker
pool can observe). On success the doctests are also turned into assert statements, and those asserts are
run once more after the program in a fresh namespace: what we export is exactly what we ran.

Invariants:
- Failures of the code under test are returned as values; only a fault of this harness raises.
- KeyboardInterrupt is never swallowed: it is how the pool stops a runaway call (interrupt buffer).
- Output of the code under test is captured and capped; it never reaches the worker's console.
"""

import ast
import doctest

import semiverse_sandbox as sandbox
from semiverse_errors import exception_info

# Examples are stopped at the first failure: the first failing example is what the user sees.
_FLAGS = doctest.FAIL_FAST
_ATOMIC = (ast.Name, ast.Call, ast.Attribute, ast.Subscript, ast.Constant, ast.List, ast.Dict, ast.Set)


def _missing_module(error):
    """The module a failed import was looking for, or None when the error is something else."""
    if isinstance(error, ModuleNotFoundError) and error.name:
        return error.name
    return None


class _FirstProblem(doctest.DocTestRunner):
    """Records the first failing example instead of printing a report."""

    def __init__(self):
        super().__init__(verbose=False, optionflags=_FLAGS)
        self.problem = None

    def report_failure(self, out, test, example, got):
        if self.problem is None:
            self.problem = ("failed", example, got)

    def report_unexpected_exception(self, out, test, example, exc_info):
        if self.problem is None:
            self.problem = ("error", example, exc_info[1])


def _run_program(program, namespace):
    code = compile(program, "<semiverse>", "exec", dont_inherit=True)
    exec(code, namespace)


def run_doctest(program, docstring, name):
    """Run the doctests of `docstring` after `program`; see module docstring for the reply."""
    namespace = sandbox.fresh_namespace()
    try:
        with sandbox.capture():
            _run_program(program, namespace)
    except KeyboardInterrupt:
        raise
    except MemoryError as error:
        return _memory(error)
    except BaseException as error:
        module = _missing_module(error)
        if module:
            return {"status": "not_runnable", "module": module, "detail": f"No module named '{module}'"}
        return {"status": "error", "phase": "setup", "exception": exception_info(error)}

    test = doctest.DocTestParser().get_doctest(docstring, sandbox.track(dict(namespace)), name, name, 0)
    if all(example.options.get(doctest.SKIP) for example in test.examples):
        return {"status": "no_doctests", "detail": "every example is marked +SKIP"}
    runner = _FirstProblem()
    with sandbox.capture():
        runner.run(test, out=lambda _text: None, clear_globs=False)
    if runner.problem is not None:
        return _problem(runner.problem)
    return _with_tests(program, docstring, name, test.examples)


def _problem(problem):
    kind, example, detail = problem
    if kind == "failed":
        return {
            "status": "failed",
            "example": {"source": example.source, "want": example.want, "got": detail, "lineno": example.lineno},
        }
    if isinstance(detail, MemoryError):
        return _memory(detail)
    module = _missing_module(detail)
    if module:
        return {"status": "not_runnable", "module": module, "detail": f"No module named '{module}'"}
    return {"status": "error", "phase": "example", "exception": exception_info(detail), "example": example.source}


def _memory(error):
    return {"status": "memory", "detail": str(error) or "MemoryError: the code ran out of memory"}


def _with_tests(program, docstring, name, examples):
    """Passed: attach assert statements that we have run ourselves after the program."""
    plain = plain_asserts(examples)
    if plain is not None and _tests_pass(program, plain) is None:
        return {"status": "passed", "examples": len(examples), "tests": plain, "plainAsserts": True}
    exact = [exact_doctest(docstring, name)]
    error = _tests_pass(program, exact)
    if error is None:
        return {"status": "passed", "examples": len(examples), "tests": exact, "plainAsserts": False}
    return {"status": "error", "phase": "tests", "exception": exception_info(error)}


def _tests_pass(program, tests):
    """None when program + tests run cleanly in a fresh namespace, else the exception."""
    namespace = sandbox.fresh_namespace()
    try:
        with sandbox.capture():
            _run_program(program + "\n\n" + "\n".join(tests) + "\n", namespace)
    except KeyboardInterrupt:
        raise
    except BaseException as error:
        return error
    return None


def run_tests(program, tests):
    """Assert-style tests (MBPP, HumanEval's check) after a program, as one outcome."""
    error = _tests_pass(program, tests)
    if error is None:
        return {"status": "passed", "examples": len(tests), "tests": list(tests), "plainAsserts": True}
    if isinstance(error, MemoryError):
        return _memory(error)
    module = _missing_module(error)
    if module:
        return {"status": "not_runnable", "module": module, "detail": f"No module named '{module}'"}
    return {"status": "error", "phase": "tests", "exception": exception_info(error)}


def _wrapped(source):
    tree = ast.parse(source, mode="eval").body
    return source if isinstance(tree, _ATOMIC) else f"({source})"


def plain_asserts(examples):
    """Each example as a plain statement or assert, or None when one of them has no faithful plain form
    (doctest options such as ELLIPSIS, printed output, multi-line output that is not a Python value)."""
    tests = []
    for example in examples:
        source = example.source.rstrip("\n")
        want = example.want.rstrip("\n")
        if example.options:
            return None
        if example.exc_msg is not None:
            exc = example.exc_msg.split(":", 1)[0].strip().rsplit(".", 1)[-1]
            body = "\n".join("    " + line for line in source.split("\n"))
            tests.append(
                f"try:\n{body}\nexcept Exception as _error:\n"
                f"    assert type(_error).__name__ == {exc!r}, repr(_error)\n"
                f"else:\n    raise AssertionError({('expected ' + exc)!r})"
            )
            continue
        if not want:
            tests.append(source)
            continue
        try:
            expression = ast.parse(source, mode="eval").body
            ast.parse(want, mode="eval")
        except SyntaxError:
            return None
        if isinstance(expression, ast.Call) and getattr(expression.func, "id", None) == "print":
            return None
        tests.append(f"assert {_wrapped(source)} == {_wrapped(want)}")
    return tests


def exact_doctest(docstring, name):
    """One assert that runs the docstring's examples with the doctest module itself (always faithful)."""
    return (
        "import doctest as _doctest\n"
        "assert _doctest.DocTestRunner(optionflags=_doctest.FAIL_FAST).run("
        f"_doctest.DocTestParser().get_doctest("
        f"{docstring!r}, dict(globals()), {name!r}, {name!r}, 0), out=lambda _text: None).failed == 0"
    )
