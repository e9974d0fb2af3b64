"""One function on many argument sets: the oracle (the original code) and the verify stage (a generated
solution) of the LLM pipeline. Shapes: `CasesJob` and the reply `parseCasesReply` reads, in
src/domain/cases.ts and src/core/oracle/parseCasesReply.ts.

The program is exec'd once in a fresh namespace; then, for each case: its arguments are read with
ast.literal_eval, bound to the signature and checked against simple annotations (semiverse_annotations),
deep-copied, and the call made with its output captured. A call that returns a coroutine is run to the
end on a private event loop with virtual time. Cases share the namespace and the interpreter, as calls in
one program would; `random` is seeded again before each case, so its numbers do not depend on the cases
before it.

Two steps, because the code under test may patch what the second one uses:
- run(job), between semiverse_sandbox.begin() and end(): everything that runs code of the program; values
  stay raw;
- finish(batch), once the interpreter is restored: canonical values (semiverse_canon), arguments the call
  changed, and tests (semiverse_casetests). Only canonicalisation can run code of the program (a value's
  own class); finish() says when it did, and the caller restores again.

Invariants: KeyboardInterrupt is never caught (it is the pool's time limit, and ends the whole batch);
failures of the code under test are values.
"""

import asyncio
import asyncio.events
import copy
import inspect
import keyword
import random
import time
import types

import semiverse_annotations as annotations
import semiverse_canon as canon
import semiverse_casetests as casetests
import semiverse_sandbox as sandbox
import semiverse_values as values
from semiverse_coverage import FILENAME, LineCoverage
from semiverse_errors import exception_info

# Held here, not looked up at each use: the code under test may patch the modules between cases.
_clock = time.perf_counter
_seed = random.seed
_deepcopy = copy.deepcopy


class _Failed:
    """The program did not run, or has no such entry point: the whole reply."""

    def __init__(self, phase, error):
        exception = exception_info(error)
        if phase == "entry":  # the harness's own frames: nothing in them is the program's
            exception["traceback"] = ""
        self.reply = {"ok": False, "phase": phase, "exception": exception}


class _Batch:
    def __init__(self, entry, executable, tests):
        self.entry = entry
        self.executable = executable
        self.tests = tests
        self.cases = []


class _Case:
    """One case as it ran; `result` is complete for invalid and memory cases, filled in by finish() else."""

    __slots__ = (
        "entry", "result", "args", "kwargs", "passed", "value", "awaited", "error", "raised", "stdout", "mutated",
    )  # fmt: skip

    def __init__(self, result):
        self.result = result
        self.entry = ""
        self.args, self.kwargs, self.passed = [], {}, []  # the values read, and the copies the call got
        self.value = None
        self.awaited = False
        self.error = None  # the exception the call raised
        self.raised = None  # how a test names that exception's class, or why it cannot (Untestable)
        self.stdout = None
        self.mutated = ()  # [(position, value after the call)] of the arguments the call changed


def run(job, before_case=None):
    """Run the program and every case (inside the sandbox): a _Batch, or _Failed. `before_case`, when
    given, is called just before each call (run_mutants restarts a case's time budget there)."""
    namespace = sandbox.fresh_namespace()
    with sandbox.capture():
        try:
            exec(compile(job["program"], FILENAME, "exec", dont_inherit=True), namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            return _Failed("program", error)
        names = dict(namespace)  # the program's globals as it left them: exception classes are named from these
        try:
            function = _entry(namespace, job["entryPoint"])
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            return _Failed("entry", error)
        signature = _signature(function)
        checks = annotations.Checks(function, signature)
        coverage = LineCoverage(function) if job.get("coverage") else None
    seed = job.get("seed", sandbox.DEFAULT_SEED)
    measured = coverage is not None and coverage.start()
    batch = _Batch(job["entryPoint"], coverage.executable if measured else None, bool(job.get("tests")))
    measuring = coverage if measured else None
    try:
        for case in job["cases"]:
            batch.cases.append(_run_case(function, case, signature, checks, measuring, seed, names, before_case))
    finally:
        if measured:
            coverage.stop()
    return batch


def _entry(namespace, dotted):
    """The callable `dotted` names: a function, or a static or class method as Cls.method."""
    parts = dotted.split(".")
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        raise ValueError(f"{dotted!r} is not a name or a dotted name")
    if parts[0] not in namespace:
        raise NameError(f"the program defines no {parts[0]!r}")
    owner, found = None, namespace[parts[0]]
    for part in parts[1:]:
        owner, found = found, getattr(found, part)
    if isinstance(owner, type):
        static = inspect.getattr_static(owner, parts[-1])
        if not isinstance(static, (staticmethod, classmethod)):
            raise TypeError(f"{dotted} is not a static or class method: it needs an instance")
    if not callable(found):
        raise TypeError(f"{dotted} is a {type(found).__name__}, not something to call")
    return found


def _signature(function):
    try:
        return inspect.signature(function)
    except Exception:  # some builtins have none, a __signature__ may raise: arguments are then not checked
        return None


def _invalid(reason, detail):
    return _Case({"kind": "invalid", "reason": reason, "detail": detail})


def _run_case(function, case, signature, checks, coverage, seed, names, before_case=None):
    try:
        args = [values.read_literal(text) for text in case.get("args", [])]
        kwargs = {name: values.read_literal(text) for name, text in (case.get("kwargs") or {}).items()}
    except values.NotLiteral as error:
        return _invalid("literal", str(error))
    bad = next((name for name in kwargs if not name.isidentifier() or keyword.iskeyword(name)), None)
    if bad is not None:
        return _invalid("arity", f"{bad!r} is not a keyword argument's name")
    if signature is not None:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            return _invalid("arity", str(error))
        problem = checks.problem(bound)
        if problem is not None:
            return _invalid("type", problem)
    passed_args, passed_kwargs = _deepcopy((args, kwargs))
    raw = _Case(None)
    raw.args, raw.kwargs, raw.passed = args, kwargs, passed_args
    _seed(seed)
    if coverage is not None:
        coverage.next_case()
    if before_case is not None:
        before_case()
    with sandbox.capture() as (out, _err):
        started = _clock()
        try:
            value = function(*passed_args, **passed_kwargs)
            if isinstance(value, types.CoroutineType):
                raw.awaited = True
                value = _complete(value)
            raw.value = value
        except KeyboardInterrupt:
            raise
        except MemoryError:
            raw.result = {"kind": "memory"}
            return raw
        except BaseException as error:
            raw.error = error
        elapsed = _clock() - started
        if raw.error is not None:
            raw.result = _exception(raw.error)
            raw.raised = _named(type(raw.error), names)
    raw.stdout = out.captured()
    raw.result = raw.result or {"kind": "ok"}
    raw.result.update(stdout=raw.stdout, ms=round(elapsed * 1000, 3), lines=coverage.lines() if coverage else None)
    return raw


def _exception(error):
    info = exception_info(error)
    return {"kind": "exception", "phase": "call", "type": _type_name(type(error)), "message": info["message"]}


def _named(cls, names):
    try:
        return casetests.exception_name(cls, names)
    except casetests.Untestable as reason:
        return reason
    except Exception as error:  # looking a class up can run its metaclass's code
        return casetests.Untestable(f"its exception class could not be looked up ({type(error).__name__})")


def _type_name(kind):
    try:
        module = str(getattr(kind, "__module__", "") or "")
        name = str(getattr(kind, "__qualname__", kind.__name__))
    except Exception:  # a metaclass's own attributes may raise
        return type.__dict__["__name__"].__get__(kind)
    return name if module in ("builtins", "__main__") else f"{module}.{name}"


class _VirtualTimeLoop(asyncio.BaseEventLoop):
    """An event loop with no I/O whose clock jumps to the next timer: `await asyncio.sleep(10)` takes no
    time. Pyodide's own loop cannot run a coroutine to the end synchronously (that needs JS stack switching)."""

    def __init__(self):
        super().__init__()
        self._now = 0.0
        self._selector = self

    def time(self):
        return self._now

    def select(self, timeout):  # BaseEventLoop waits for I/O here: there is none, only timers
        if timeout:
            self._now += timeout
        return []

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass


def _complete(coroutine):
    outer = asyncio.events._get_running_loop()  # Pyodide's loop counts as always running
    asyncio.events._set_running_loop(None)
    loop = _VirtualTimeLoop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()
        asyncio.events._set_running_loop(outer)


def finish(batch):
    """(the reply, whether code of the program ran while building it). Runs after the sandbox restored."""
    if isinstance(batch, _Failed):
        return batch.reply, False
    ran_user_code = False
    cases, helper = [], False
    for raw in batch.cases:
        if raw.result["kind"] in ("invalid", "memory"):
            cases.append(raw.result)
            continue
        raw.entry = batch.entry
        try:
            ran_user_code |= _canonical(raw)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # e.g. a __repr__ that raises or recurses without end
            ran_user_code = True
            kept = {k: raw.result[k] for k in ("stdout", "ms", "lines")}
            raw.result = {**_exception(error), "phase": "value", **kept}
            raw.error, raw.raised = error, casetests.Untestable("its value could not be read")
        result = raw.result
        result.update(test=None, testless=None, usesHelper=False)
        if batch.tests:
            _add_test(raw)
            helper = helper or result["usesHelper"]
        cases.append(result)
    reply = {"ok": True, "executable": batch.executable, "helper": casetests.HELPER if helper else None, "cases": cases}
    return reply, ran_user_code


def _canonical(raw):
    """Fill in the value and the changed arguments of an ok case; True when code of the program ran."""
    if raw.result["kind"] != "ok":
        return False
    tree, ran = canon.canonical(raw.value)
    raw.result["value"] = tree
    after, mutated = [], []
    for position, (before, now) in enumerate(zip(raw.args, raw.passed)):
        now_tree, ran_now = canon.canonical(now)
        ran = ran or ran_now
        changed = canon.text(now_tree) != canon.text(canon.canonical(before)[0])
        after.append(now_tree if changed else None)
        if changed:
            mutated.append((position, now))
    raw.result["argsAfter"] = after
    raw.mutated = mutated
    return ran


def _add_test(raw):
    result = raw.result
    try:
        if isinstance(raw.raised, casetests.Untestable):
            raise raw.raised
        test, uses_helper = casetests.build(raw)
        result.update(test=test, usesHelper=uses_helper)
    except casetests.Untestable as reason:
        result["testless"] = str(reason)
