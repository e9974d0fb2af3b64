'''The outcome of one case as a Python test: statements that pass when run with CPython 3.12 or later after
the program the case ran on (and in the same namespace as the tests before them), and fail when the
function by that name behaves otherwise.

- A value: `assert f(1, [2, 3]) == 6`; None: `assert f(1) is None`. A value with a float or complex
  anywhere in it is compared through `_sv_close` (HELPER): `assert _sv_close(f(0.1, 0.2), 0.30000000000000004)`.
  HELPER is one `def` statement that must run once before the tests that use it (`uses_helper`); it is the
  same text in every reply.
- An exception: the call inside try/except naming the class, `else: raise AssertionError(...)`. A built-in
  exception is named as such; a class of the program by the name it has there; a class of a module the
  program imported as that module's attribute. Any other class gives no test.
- Printed output: the call runs inside contextlib.redirect_stdout into io.StringIO, and the text is
  compared exactly (not when the harness had to cut it).
- A positional argument the call changed: bound to `_sv_a<i>` before the call, compared after it.
- A coroutine function: the call is run with asyncio.run.
- Every name a test binds starts with `_sv_`, so it cannot shadow the program's.
Values are written by semiverse_values (sets in a fixed order, so the text does not depend on the hash
seed); a value it cannot write faithfully gives no test, with the reason.
'''

import builtins
import types

import semiverse_values as values

HELPER = '''def _sv_close(got, want):
    """got == want, except that floats anywhere in them need only be close (math.isclose with
    rel_tol=1e-9, abs_tol=1e-6), and NaN equals NaN. Dict keys and set members are compared exactly first."""
    import math
    if isinstance(want, (float, complex)) and isinstance(got, (int, float, complex)) and not isinstance(got, bool):
        if isinstance(want, complex) or isinstance(got, complex):
            got, want = complex(got), complex(want)
            return _sv_close(got.real, want.real) and _sv_close(got.imag, want.imag)
        if math.isnan(want) or math.isnan(got):
            return math.isnan(want) and math.isnan(got)
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(want, (list, tuple)):
        return isinstance(got, type(want)) and len(got) == len(want) and all(map(_sv_close, got, want))
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(_sv_close(got[k], want[k]) for k in want)
    if isinstance(want, (set, frozenset)):
        if not isinstance(got, (set, frozenset)) or len(got) != len(want):
            return False
        if got == want:
            return True
        left = list(got)
        for member in want:
            match = next((i for i, other in enumerate(left) if _sv_close(other, member)), None)
            if match is None:
                return False
            left.pop(match)
        return True
    return got == want'''

# Built-in exception classes as the interpreter started (the code under test may rebind the names).
_BUILTIN_EXCEPTIONS = {
    name: value
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}
_MISSING = object()


class Untestable(Exception):
    """No faithful test for this outcome; the message says why."""


def exception_name(cls, names):
    """How a test can name the exception class `cls` after the program ran (`names`: the program's
    globals then), or Untestable."""
    if _BUILTIN_EXCEPTIONS.get(cls.__name__) is cls:
        return cls.__name__
    qualname = getattr(cls, "__qualname__", cls.__name__)
    if "<locals>" not in qualname:
        parts = qualname.split(".")
        found = names.get(parts[0], _MISSING)
        for part in parts[1:]:
            found = _attribute(found, part)
        if found is cls:
            return qualname
        for name, module in names.items():
            if isinstance(module, types.ModuleType) and _attribute(module, cls.__name__) is cls:
                return f"{name}.{cls.__name__}"
    raise Untestable(f"its exception class {qualname} has no name after the program")


def _attribute(owner, name):
    try:
        return getattr(owner, name, _MISSING)
    except Exception:  # a class's own __getattr__ may raise anything
        return _MISSING


def build(case):
    """(test text, whether it calls _sv_close) for a finished case, or Untestable.

    `case` has: entry, args, kwargs (the values before the call), awaited, stdout ({text, truncated}),
    and either value and mutated ([(position, value after the call)]) or raised (the class's name)."""
    try:
        return _build(case)
    except values.NotWritable as error:
        raise Untestable(str(error)) from None


def _build(case):
    lines, imports = [], []
    arguments = []
    mutated = dict(case.mutated) if case.raised is None else {}
    for position, value in enumerate(case.args):
        written = values.source(value)
        if position in mutated:
            lines.append(f"_sv_a{position} = {written}")
            arguments.append(f"_sv_a{position}")
        else:
            arguments.append(written)
    arguments.extend(f"{name}={values.source(value)}" for name, value in case.kwargs.items())
    call = f"{case.entry}({', '.join(arguments)})"
    if case.awaited:
        imports.append("asyncio as _sv_asyncio")
        call = f"_sv_asyncio.run({call})"
    printed = case.stdout["text"] != ""
    if printed:
        imports.append("contextlib as _sv_contextlib, io as _sv_io")
        lines.append("_sv_out = _sv_io.StringIO()")
    checks, helper = [], False
    if case.raised is not None:
        expected = f"expected {case.raised}"
        handler = [f"except {case.raised}:", "    pass", "else:", f"    raise AssertionError({expected!r})"]
        lines.append("\n".join(["try:", _indent(_inside(printed, call)), *handler]))
    elif not printed and not mutated:
        check, helper = _compare(call, case.value)
        return "\n".join([*_import_lines(imports), f"assert {check}"]), helper
    else:
        lines.append(_inside(printed, f"_sv_result = {call}"))
        check, helper = _compare("_sv_result", case.value)
        checks.append(f"assert {check}")
    if printed and not case.stdout["truncated"]:
        checks.append(f"assert _sv_out.getvalue() == {case.stdout['text']!r}")
    for position, after in sorted(mutated.items()):
        check, uses = _compare(f"_sv_a{position}", after)
        checks.append(f"assert {check}")
        helper = helper or uses
    return "\n".join([*_import_lines(imports), *lines, *checks]), helper


def _import_lines(imports):
    return [f"import {names}" for names in imports]


def _inside(printed, statement):
    if not printed:
        return statement
    return f"with _sv_contextlib.redirect_stdout(_sv_out):\n{_indent(statement)}"


def _indent(text):
    return "\n".join("    " + line for line in text.split("\n"))


def _compare(expression, value):
    """(a boolean expression that holds when `expression` gives `value`, whether it calls _sv_close)."""
    written = values.source(value)
    if value is None:
        return f"{expression} is None", False
    if values.has_float(value):
        return f"_sv_close({expression}, {written})", True
    return f"{expression} == {written}", False
