"""Hygiene between runs of untrusted code in one interpreter: fresh namespaces, capped output, and a reset
that undoes what one run can do to the next (patched builtins, recursion limit, cwd, random state).

This is not the security boundary: containment (no network, no app storage) comes from where the
interpreter runs (see docs/). This module keeps one run's leftovers from changing the next run's result.
"""

import builtins
import contextlib
import io
import os
import random
import sys

OUTPUT_CAP = 64 * 1024  # characters kept per stream; a doctest printing in a loop must not eat memory
SEED = 0

_BUILTINS = dict(builtins.__dict__)
_RECURSION_LIMIT = sys.getrecursionlimit()
_CWD = os.getcwd()
_PATH = list(sys.path)


class CappedText(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and remembers whether it dropped any."""

    def __init__(self, cap=OUTPUT_CAP):
        self.cap = cap
        self.parts = []
        self.size = 0
        self.truncated = False

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.cap - self.size
        if room > 0:
            kept = text[:room]
            self.parts.append(kept)
            self.size += len(kept)
        if len(text) > max(room, 0):
            self.truncated = True
        return len(text)

    def getvalue(self):
        return "".join(self.parts)


@contextlib.contextmanager
def captured():
    """Route stdout and stderr of the code under test into capped buffers."""
    out, err = CappedText(), CappedText()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def fresh_namespace():
    return {"__name__": "__main__", "__builtins__": builtins}


def reset():
    """Undo the global changes a run may have made. Called before every run."""
    for name in list(builtins.__dict__):
        if name not in _BUILTINS:
            del builtins.__dict__[name]
    builtins.__dict__.update(_BUILTINS)
    sys.setrecursionlimit(_RECURSION_LIMIT)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    sys.path[:] = _PATH
    with contextlib.suppress(OSError):
        os.chdir(_CWD)
    random.seed(SEED)
