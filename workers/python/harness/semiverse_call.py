"""One call: run a program, then evaluate an expression. The value is returned raw, for the API layer to
put in canonical form once the interpreter has been restored (the code under test may have patched
what canonicalisation uses).

Reply shape: `CallReply` in src/domain/run.ts (ok | exception | memory; `timeout` and `crashed` are
observed by the pool). Output of the code is captured, 64 KiB per stream, with a truncated flag.
"""

import semiverse_sandbox as sandbox
from semiverse_errors import exception_info

_NO_VALUE = object()


def run_call(program, expression):
    """(reply without the value, the value or _NO_VALUE)."""
    namespace = sandbox.fresh_namespace()
    phase = "program"
    value = _NO_VALUE
    with sandbox.capture() as (out, err):
        try:
            exec(compile(program, "<program>", "exec", dont_inherit=True), namespace)
            phase = "call"
            value = eval(compile(expression, "<call>", "eval", dont_inherit=True), namespace)
            reply = {"kind": "ok"}
        except KeyboardInterrupt:
            raise  # the pool's time limit
        except MemoryError as error:
            reply = {"kind": "memory", "phase": phase, "detail": str(error) or "MemoryError"}
        except BaseException as error:
            reply = {"kind": "exception", "phase": phase, **exception_info(error)}
    reply["stdout"] = out.captured()
    reply["stderr"] = err.captured()
    return reply, value


def has_value(value):
    return value is not _NO_VALUE
