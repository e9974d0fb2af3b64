"""Isolation between runs of untrusted code in one interpreter: what one run changes must not reach the next.

`fresh_namespace()` gives each run its own globals; `capture()` routes its output into capped buffers;
`restore(namespaces)` undoes, after each run, what code can do to the interpreter:
- builtins (patched, added or deleted names), sys.modules (modules imported are dropped, replaced ones put
  back), and the dicts of modules and of the classes they define: always for the modules the harness
  itself relies on (so no run can forge the next run's verdict), and for every module a run's namespaces
  reach (a module can only be patched by code that holds it);
- interpreter state: recursion limit, sys.path and import hooks, trace and profile hooks, display and
  except hooks, int-digit limit, standard streams, environment, working directory, umask, warnings
  filters, the SIGINT handler (it carries the pool's time-limit interrupt), gc, decimal context, random,
  sys.monitoring tool ids;
- files: each run works in a fresh directory; files left in /tmp or $HOME are removed.
Threads cannot run in this interpreter (Pyodide has none), so none can outlive a run.

This is not the security boundary (that is the sandboxed iframe, see docs/sandbox.md): it keeps one run's
leftovers from changing another run's result.
"""

import builtins
import contextlib
import decimal
import gc
import io
import os
import random
import shutil
import signal
import sys
import tempfile
import types
import warnings

OUTPUT_CAP = 64 * 1024  # characters kept per stream; a loop that prints must not eat memory
DEFAULT_SEED = 0
# Modules the harness decides or serialises verdicts with: checked after every run, whatever it touched.
# Any other module is checked when a run reaches it (see _modules_reached).
CRITICAL_MODULES = (
    "builtins", "sys", "types", "io", "contextlib", "re", "json", "json.encoder", "json.decoder", "ast",
    "doctest", "traceback", "linecache",
    "semiverse_api", "semiverse_call", "semiverse_canon", "semiverse_deps", "semiverse_doctest",
    "semiverse_errors", "semiverse_extract", "semiverse_sandbox", "semiverse_entry", "semiverse_mutants", "semiverse_deadline",
    "semiverse_annotations", "semiverse_cases", "semiverse_casetests", "semiverse_coverage", "semiverse_mutate",
    "semiverse_values", "semiverse_normalise", "semiverse_version", "asyncio", "asyncio.events", "asyncio.base_events", "inspect", "copy",
)  # fmt: skip
# Checking class dicts is most of a restore's cost: classes are checked for modules a run reached and for
# these, whose classes the verdict path uses (doctest's runner and parser, json's encoder, the harness).
CLASS_CRITICAL = (
    "doctest", "json.encoder", "json.decoder", "io",
    "semiverse_api", "semiverse_call", "semiverse_canon", "semiverse_doctest", "semiverse_sandbox",
    "semiverse_cases", "semiverse_casetests", "semiverse_coverage", "semiverse_annotations", "semiverse_mutate",
    "semiverse_values", "asyncio.base_events",
)  # fmt: skip
# Under Pyodide the file system is the interpreter's own (in memory): files a run leaves in /tmp or $HOME
# are removed. Run natively (the benchmark baseline) the same module must never touch the machine's real
# /tmp or home: there it only empties its own private working directory.
_OWN_FILE_SYSTEM = sys.platform == "emscripten"
_WORK_ROOT = "/tmp/semiverse-run" if _OWN_FILE_SYSTEM else tempfile.mkdtemp(prefix="semiverse-run-")


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

    def captured(self):
        return {"text": self.getvalue(), "truncated": self.truncated}


@contextlib.contextmanager
def capture():
    """Route stdout and stderr of the code under test into capped buffers."""
    out, err = CappedText(), CappedText()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


_run_namespaces = []  # every namespace the current run made: end() looks into what they hold


def fresh_namespace():
    return track({"__name__": "__main__", "__builtins__": builtins})


def track(namespace):
    """Count a namespace the run uses (e.g. a copy doctest runs in) among those end() looks into."""
    _run_namespaces.append(namespace)
    return namespace


class _Snapshot:
    """Everything restore() puts back, taken once, after the harness and common modules are imported."""

    def __init__(self):
        self.modules = dict(sys.modules)
        self.dicts = {}  # module name -> (module, its dict, [(class, its dict)])
        for name, module in self.modules.items():
            self._remember(name, module)
        self.sys = {
            "path": list(sys.path),
            "meta_path": list(sys.meta_path),
            "path_hooks": list(sys.path_hooks),
            "path_importer_cache": dict(sys.path_importer_cache),
            "recursionlimit": sys.getrecursionlimit(),
            "displayhook": sys.displayhook,
            "excepthook": sys.excepthook,
            "breakpointhook": sys.breakpointhook,
            "int_max_str_digits": sys.get_int_max_str_digits(),
            "switchinterval": sys.getswitchinterval(),
        }
        self.environ = dict(os.environ._data)  # the raw dict: comparing os.environ itself re-encodes it
        self.cwd = os.getcwd()
        self.umask = os.umask(0o022)
        os.umask(self.umask)
        self.warnings = list(warnings.filters)
        self.sigint = signal.getsignal(signal.SIGINT)
        self.decimal = decimal.getcontext().copy()
        self.gc_callbacks = list(gc.callbacks)
        self.monitoring_tools = _monitoring_tools()
        roots = ("/tmp", os.path.expanduser("~")) if _OWN_FILE_SYSTEM else ()
        self.files = {root: set(_listing(root)) for root in roots}

    def _remember(self, name, module):
        if not isinstance(module, types.ModuleType):
            return
        namespace = vars(module)
        classes = [
            (value, _Saved(vars(value)))
            for value in namespace.values()
            if isinstance(value, type) and getattr(value, "__module__", None) == name and _is_heap_type(value)
        ]
        self.dicts[name] = (module, _Saved(namespace), classes)


class _Saved:
    """A dict's contents at snapshot time, with a fast check for "nothing changed": same keys in the same
    order and the same objects (by id: the saved dict keeps them alive, so ids cannot be reused)."""

    __slots__ = ("items", "keys", "ids")

    def __init__(self, mapping):
        self.items = dict(mapping)
        self.keys = list(self.items)
        self.ids = list(map(id, self.items.values()))

    def unchanged(self, mapping):
        return list(mapping) == self.keys and list(map(id, mapping.values())) == self.ids


_snapshot = None
_reached = set()  # modules the last run reached: checked again before the next run (mutated, never rebound)


def start():
    """Take the snapshot. Called once by semiverse_api after everything the harness needs is imported."""
    global _snapshot
    snapshot = _Snapshot()
    _snapshot = snapshot
    snapshot._remember(__name__, sys.modules[__name__])  # again, now holding the snapshot itself


def begin(seed=DEFAULT_SEED):
    """Before a run: undo anything that ran since the last one (an event-loop callback or a JS timer it
    left can only fire between calls), then a fresh working directory and a seeded random."""
    restore(classes=False)
    _run_namespaces.clear()
    if _listing(_WORK_ROOT):  # left something behind (or a first run): start from an empty directory
        shutil.rmtree(_WORK_ROOT, ignore_errors=True)
    os.makedirs(_WORK_ROOT, exist_ok=True)
    os.chdir(_WORK_ROOT)
    random.seed(seed)


def end():
    """After a run: undo its changes, looking into every module its namespaces reach."""
    # Changed in place, never rebound: restoring this module's own dict puts back the objects it held.
    reached = _modules_reached(_run_namespaces)
    _reached.clear()
    _reached.update(reached)
    _run_namespaces.clear()
    restore()


def restore(classes=True):
    """Put the interpreter back as the snapshot found it (see module docstring). Checking the dicts of
    hundreds of classes is most of the cost, so the check before a run (between runs nothing but a stray
    callback can act) leaves classes to the full check after each run."""
    snap = _snapshot
    if snap is None:
        raise RuntimeError("semiverse_sandbox.start() was not called")
    _restore_modules(snap)
    for name in set(CRITICAL_MODULES) | _reached:
        if name in snap.dicts:
            module, saved, saved_classes = snap.dicts[name]
            with_classes = classes and (name in _reached or name in CLASS_CRITICAL)
            _restore_module_dict(module, saved, saved_classes if with_classes else ())
    _restore_interpreter(snap)
    _restore_files(snap)


def _modules_reached(namespaces):
    """Names of modules a run could have patched: those its namespaces hold (and the modules those hold),
    those its functions and classes come from, and those its code names (`import math` inside a function)."""
    names = set()
    codes = []
    for namespace in namespaces:
        for value in list(namespace.values()):
            if isinstance(value, types.ModuleType):
                names.add(value.__name__)
                names.update(v.__name__ for v in list(vars(value).values()) if isinstance(v, types.ModuleType))
                continue
            module = _attribute(value, "__module__")
            if isinstance(module, str):
                names.add(module)
            code = _attribute(value, "__code__")
            if isinstance(code, types.CodeType):
                codes.append(code)
            elif isinstance(value, type):
                codes.extend(f.__code__ for f in vars(value).values() if isinstance(_attribute(f, "__code__"), types.CodeType))
    modules = _snapshot.modules if _snapshot else {}
    while codes:
        code = codes.pop()
        names.update(name for name in code.co_names if name in modules)
        codes.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    # A run's own code reports __module__ "__main__" (its namespace's name) without being that module.
    names.discard("__main__")
    return names


def _attribute(value, name):
    """getattr for the run's own objects, whose __getattr__ (the program's code) may raise anything."""
    try:
        return getattr(value, name, None)
    except Exception:
        return None


def _restore_modules(snap):
    current = sys.modules
    for name in [n for n in current if n not in snap.modules]:
        del current[name]
    for name, module in snap.modules.items():
        if current.get(name) is not module:
            current[name] = module


def _restore_module_dict(module, saved, classes):
    if not saved.unchanged(vars(module)):
        _restore_dict(vars(module), saved.items)
    for cls, saved_class in classes:
        current = vars(cls)
        if saved_class.unchanged(current):
            continue
        for key in [k for k in current if k not in saved_class.items]:
            with contextlib.suppress(AttributeError, TypeError):
                delattr(cls, key)
        for key, value in saved_class.items.items():
            if current.get(key, _MISSING) is not value:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(cls, key, value)


_MISSING = object()


def _restore_dict(current, saved):
    for key in [k for k in current if k not in saved]:
        del current[key]
    for key, value in saved.items():
        if current.get(key, _MISSING) is not value:
            current[key] = value


def _restore_interpreter(snap):
    saved = snap.sys
    sys.path[:] = saved["path"]
    sys.meta_path[:] = saved["meta_path"]
    sys.path_hooks[:] = saved["path_hooks"]
    _restore_dict(sys.path_importer_cache, saved["path_importer_cache"])
    sys.setrecursionlimit(saved["recursionlimit"])
    sys.displayhook, sys.excepthook = saved["displayhook"], saved["excepthook"]
    sys.breakpointhook = saved["breakpointhook"]
    sys.set_int_max_str_digits(saved["int_max_str_digits"])
    sys.setswitchinterval(saved["switchinterval"])
    sys.settrace(None)
    sys.setprofile(None)
    sys.stdout, sys.stderr, sys.stdin = sys.__stdout__, sys.__stderr__, sys.__stdin__
    if os.environ._data != snap.environ:
        os.environ._data.clear()
        os.environ._data.update(snap.environ)
    with contextlib.suppress(OSError):
        os.chdir(snap.cwd)
    os.umask(snap.umask)
    if warnings.filters != snap.warnings:
        warnings.filterwarnings("default")  # a public call that invalidates warnings' caches
        warnings.filters[:] = snap.warnings
    if signal.getsignal(signal.SIGINT) is not snap.sigint:
        signal.signal(signal.SIGINT, snap.sigint)
    gc.callbacks[:] = snap.gc_callbacks
    if not gc.isenabled():
        gc.enable()
    decimal.setcontext(snap.decimal.copy())
    _restore_monitoring(snap)


_MONITORING = getattr(sys, "monitoring", None)  # CPython 3.12 and later


def _monitoring_tools():
    return {tool: _MONITORING.get_tool(tool) for tool in range(6)} if _MONITORING is not None else {}


def _restore_monitoring(snap):
    """Free the sys.monitoring tool ids a run claimed, with their callbacks and events (a callback left on
    could watch, or change, every later run; and coverage needs a free id)."""
    for tool, name in snap.monitoring_tools.items():
        if name is None and _MONITORING.get_tool(tool) is not None:
            clear = getattr(_MONITORING, "clear_tool_id", None)  # 3.13+; 3.14's free_tool_id clears too
            if clear is not None:
                clear(tool)
            _MONITORING.free_tool_id(tool)


def _restore_files(snap):
    for root, before in snap.files.items():
        for path in sorted(set(_listing(root)) - before, key=len, reverse=True):
            with contextlib.suppress(OSError):
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)


def _listing(root):
    try:
        return [os.path.join(root, name) for name in os.listdir(root)]
    except OSError:
        return []


_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in and most extension types


def _is_heap_type(cls):
    """Whether a class can be patched (classes written in Python can; built-in types cannot)."""
    return not (getattr(cls, "__flags__", _IMMUTABLE_TYPE) & _IMMUTABLE_TYPE)
