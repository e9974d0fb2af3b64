"""Plain Python values as Python source, and Python literals as values: the arguments and expected values of
test statements that must mean the same in every run and on every CPython (3.12 and later).

Only values made of built-in types are written: None, bool, int, float, complex, str, bytes, bytearray,
range, Ellipsis, list, tuple, set, frozenset and dict, recognised by their exact type, so writing one runs
no code of the program. Anything else (a subclass such as a namedtuple or a Counter, an object, a
generator) has no faithful source and raises NotWritable with the reason. Sets are written in a fixed
order, so the text does not depend on the hash seed. `source()` checks what it wrote: the text is
evaluated with builtins limited to the names it may use, the result written again, and only the same text
back is accepted (equal text means equal values of the same types throughout; floats are written with
repr, which round-trips exactly).
"""

import ast
import math
import re

from semiverse_extract import _too_deep  # the parser's bracket limit in a browser (see there)

LITERAL_CAP = 100_000  # characters of one literal argument
SOURCE_CAP = 20_000  # characters of one written value: a test that long is not worth keeping
MAX_DEPTH = 50  # containers nested deeper are not written (the browser's parser fails past ~150 brackets)
_ADDRESS = re.compile(r" object at 0x[0-9a-fA-F]+")
_HUGE_INT_BITS = 13_000  # about 3,900 decimal digits: str() refuses ints past 4,300; hex has no limit

# What written values may name when they are read back (and nothing else).
_EVAL_BUILTINS = {
    "set": set, "frozenset": frozenset, "float": float, "complex": complex, "bytes": bytes,
    "bytearray": bytearray, "range": range, "True": True, "False": False, "None": None,
}  # fmt: skip


class NotWritable(Exception):
    """The value has no faithful Python source; the message says why."""


class NotLiteral(Exception):
    """A text that is not one Python literal; the message says why."""


def read_literal(text):
    """The value of one Python literal (ast.literal_eval: numbers, strings, bytes, tuples, lists, sets,
    dicts, booleans, None), or NotLiteral."""
    if not isinstance(text, str):
        raise NotLiteral(f"a literal is text, not {type(text).__name__}")
    if len(text) > LITERAL_CAP:
        raise NotLiteral(f"longer than {LITERAL_CAP} characters")
    if _too_deep(text):
        raise NotLiteral("brackets nested too deep")
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as error:
        first_line = _ADDRESS.sub("", (str(error).splitlines() or [""])[0])  # "<ast.Name object at 0x...>"
        raise NotLiteral(f"{type(error).__name__}: {first_line}"[:300]) from None


def text(value, literal=False, cap=SOURCE_CAP):
    """The written form of a plain value, unchecked (equal values of the same types give equal text), or
    NotWritable. `literal`: only what ast.literal_eval reads (no NaN or infinity, no frozenset)."""
    return _Writer(cap, literal).write(value, 0)


def source(value, literal=False, cap=SOURCE_CAP):
    """text(), checked by reading it back (see the module docstring)."""
    written = text(value, literal, cap)
    if literal:
        back = ast.literal_eval(written)
    else:
        code = compile(written, "<value>", "eval", dont_inherit=True)
        back = eval(code, {"__builtins__": dict(_EVAL_BUILTINS)})
    if text(back, literal, cap) != written:
        raise NotWritable("its source does not read back as the same value")
    return written


def has_float(value):
    """Whether a float or complex is anywhere in a plain value (one that text() can write)."""
    kind = type(value)
    if kind is float or kind is complex:
        return True
    if kind is dict:
        return any(has_float(k) or has_float(v) for k, v in value.items())
    if kind in (list, tuple, set, frozenset):
        return any(has_float(item) for item in value)
    return False


class _Writer:
    def __init__(self, cap, literal):
        self.room = cap
        self.literal = literal
        self.active = set()  # ids of the containers being written: meeting one again is a cycle

    def emit(self, part):
        self.room -= len(part)
        if self.room < 0:
            raise NotWritable("too large to write as a test")
        return part

    def write(self, value, depth):
        kind = type(value)
        if value is None or kind is bool or value is Ellipsis:
            return self.emit(repr(value))
        if kind is int:
            return self.emit(repr(value) if value.bit_length() <= _HUGE_INT_BITS else hex(value))
        if kind is float:
            return self.emit(self.real(value))
        if kind is complex:
            return self.emit(self.complex(value))
        if kind in (str, bytes, bytearray):
            if len(value) > self.room:
                raise NotWritable("too large to write as a test")
            if kind is bytearray and self.literal:
                raise NotWritable("ast.literal_eval cannot read a bytearray")
            return self.emit(repr(value))
        if kind is range and not self.literal:
            return self.emit(repr(value))
        if kind in (list, tuple, set, frozenset, dict):
            if depth >= MAX_DEPTH:
                raise NotWritable(f"containers nested more than {MAX_DEPTH} deep")
            if id(value) in self.active:
                raise NotWritable("it contains itself")
            self.active.add(id(value))
            try:
                return self.container(value, kind, depth + 1)
            finally:
                self.active.discard(id(value))
        raise NotWritable(f"a value of type {_type_name(kind)} has no faithful Python source")

    def real(self, value):
        if math.isfinite(value):
            return repr(value)
        if self.literal:
            raise NotWritable("ast.literal_eval cannot read NaN or infinity")
        return "float('nan')" if math.isnan(value) else f"float('{value!r}')"

    def complex(self, value):
        if self.literal:
            if not (math.isfinite(value.real) and math.isfinite(value.imag)):
                raise NotWritable("ast.literal_eval cannot read NaN or infinity")
            return repr(value)  # read back and compared by source(): a signed zero may not survive
        return f"complex({self.real(value.real)}, {self.real(value.imag)})"

    def container(self, value, kind, depth):
        if kind is dict:
            pairs = [f"{self.write(k, depth)}: {self.write(v, depth)}" for k, v in value.items()]
            return self.emit("{" + ", ".join(pairs) + "}")
        items = [self.write(item, depth) for item in value]
        if kind is list:
            return self.emit("[" + ", ".join(items) + "]")
        if kind is tuple:
            return self.emit("(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")")
        items = _set_order(value, items)
        if kind is set:
            return self.emit("{" + ", ".join(items) + "}" if items else "set()")
        if self.literal:
            raise NotWritable("ast.literal_eval cannot read a frozenset")
        return self.emit("frozenset({" + ", ".join(items) + "})" if items else "frozenset()")


def _set_order(members, written):
    """A set's members in a fixed order: by value when they are all numbers or all strings (as a person
    would write them), else by their text."""
    kinds = {type(m) for m in members}
    numbers = kinds <= {int, float} and not any(type(m) is float and math.isnan(m) for m in members)
    if members and (numbers or kinds == {str} or kinds == {bytes}):
        return [w for _, w in sorted(zip(members, written), key=lambda pair: pair[0])]
    return sorted(written)


def _type_name(kind):
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", None) or getattr(kind, "__name__", "object")
    return name if module in ("builtins", "__main__") else f"{module}.{name}"
