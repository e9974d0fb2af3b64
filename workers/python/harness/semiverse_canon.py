"""Canonical form of Python values: a JSON-able tree that means the same in every run and every host.

Why a tree and not repr(): repr differs between runs (set order under hash randomisation, object
addresses), conflates types (1 == 1.0 == True), and crossing to JS loses what JSON cannot say (tuples vs
lists, int precision, NaN). The comparator that decides whether two outputs agree works on these trees, on
the JS side (src/core/verify/compareCanon.ts), outside the worker that ran the code.

Node shapes ("t" is the kind):
  none | bool v | int v (decimal text; "hex" and "bits" past CAP_INT_DIGITS) | float v (repr text: "nan",
  "inf", "-inf", "-0.0" included) | complex re im | str v | bytes hex | list/tuple/set/frozenset v [...]
  (sets sorted by canonical text) | dict v [[k, v], ...] (sorted by key text) | odict (insertion order) |
  range v [start, stop, step] | decimal v | fraction v | exception type args | obj type (+ fields or
  repr) | cycle | deep | more n (items left out past CAP_ITEMS).
Strings, bytes and reprs longer than CAP_TEXT are cut, with "cut": original length.
"""

import collections
import dataclasses
import decimal
import fractions
import math
import re

CAP_DEPTH = 64  # nesting deeper than this is recorded as {"t": "deep"}
CAP_ITEMS = 10_000  # elements of one container; the rest become {"t": "more", "n": count}
CAP_TEXT = 100_000  # characters of a str, hex digits of bytes, characters of a repr
CAP_INT_DIGITS = 4_000  # Python refuses str() of ints past 4300 digits; hex has no such limit

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def canonical(value):
    """(canonical tree of `value`, whether code of the value's own classes ran while building it)."""
    builder = _Canon()
    return builder.node(value, 0), builder.ran_user_code


def text(tree):
    """A stable textual form of a canonical tree: compact JSON with sorted keys; equal trees, equal text.
    Written out here rather than with the json module, which the code under test may have patched."""
    parts = []
    _write(tree, parts)
    return "".join(parts)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _write(node, parts):
    kind = type(node)
    if kind is dict:
        parts.append("{")
        for index, key in enumerate(sorted(node)):
            parts.append("," if index else "")
            _write(key, parts)
            parts.append(":")
            _write(node[key], parts)
        parts.append("}")
    elif kind is list:
        parts.append("[")
        for index, item in enumerate(node):
            parts.append("," if index else "")
            _write(item, parts)
        parts.append("]")
    elif kind is str and not _NEEDS_ESCAPE.search(node):
        parts.append(f'"{node}"')
    elif kind is str:
        escaped = "".join(_ESCAPES.get(c, c) if c >= " " or c in _ESCAPES else f"\\u{ord(c):04x}" for c in node)
        parts.append(f'"{escaped}"')
    elif node is True or node is False:
        parts.append("true" if node else "false")
    elif node is None:
        parts.append("null")
    else:
        parts.append(str(int(node)))


def _cut(string):
    if len(string) <= CAP_TEXT:
        return {"v": string}
    return {"v": string[:CAP_TEXT], "cut": len(string)}


_PLAIN = (list, tuple, set, frozenset, dict, collections.OrderedDict)


class _Canon:
    def __init__(self):
        self.active = set()  # ids of containers on the current path: a repeat is a cycle
        self.ran_user_code = False  # iterating a subclass or reading an object's repr runs its code

    def node(self, value, depth):
        if depth > CAP_DEPTH:
            return {"t": "deep"}
        kind = type(value)
        if value is None:
            return {"t": "none"}
        if kind is bool:
            return {"t": "bool", "v": value}
        if isinstance(value, int) and not isinstance(value, bool):
            return self.integer(value)
        if isinstance(value, float):
            return {"t": "float", "v": _float_text(value)}
        if isinstance(value, complex):
            return {"t": "complex", "re": _float_text(value.real), "im": _float_text(value.imag)}
        if isinstance(value, str):
            return {"t": "str", **_cut(str(value))}
        if isinstance(value, (bytes, bytearray, memoryview)):
            return {"t": "bytes", **_cut(bytes(value).hex())}
        if isinstance(value, decimal.Decimal):
            return {"t": "decimal", "v": str(value)}
        if isinstance(value, fractions.Fraction):
            return {"t": "fraction", "v": f"{value.numerator}/{value.denominator}"}
        if isinstance(value, range):
            return {"t": "range", "v": [value.start, value.stop, value.step]}
        if isinstance(value, BaseException):
            return self.container(value, depth, lambda: self.exception(value, depth))
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            if kind not in _PLAIN:
                self.ran_user_code = True
            return self.container(value, depth, lambda: self.collection(value, depth))
        self.ran_user_code = True
        return self.container(value, depth, lambda: self.other(value, depth))

    def integer(self, value):
        if abs(value).bit_length() <= CAP_INT_DIGITS * 3:  # ~CAP_INT_DIGITS decimal digits
            return {"t": "int", "v": str(value)}
        hexed = hex(value)
        if len(hexed) <= CAP_TEXT:
            return {"t": "int", "hex": hexed}
        return {"t": "int", "bits": value.bit_length(), "sign": -1 if value < 0 else 1, "hex": hexed[:CAP_TEXT]}

    def container(self, value, depth, make):
        key = id(value)
        if key in self.active:
            return {"t": "cycle"}
        self.active.add(key)
        try:
            return make()
        finally:
            self.active.discard(key)

    def items(self, values, depth):
        out = []
        for index, item in enumerate(values):
            if index == CAP_ITEMS:
                return out, True
            out.append(self.node(item, depth + 1))
        return out, False

    def collection(self, value, depth):
        if isinstance(value, dict):
            return self.mapping(value, depth)
        if isinstance(value, (set, frozenset)):
            members, _ = self.items(value, depth)
            members.sort(key=text)
            node = {"t": "frozenset" if isinstance(value, frozenset) else "set", "v": members}
            if len(value) > CAP_ITEMS:
                node["v"].append({"t": "more", "n": len(value) - CAP_ITEMS})
            return node
        kind = "tuple" if isinstance(value, tuple) else "list"
        members, cut = self.items(value, depth)
        if cut:
            members.append({"t": "more", "n": len(value) - CAP_ITEMS})
        node = {"t": kind, "v": members}
        if type(value) not in (list, tuple):
            node["type"] = _type_name(value)  # namedtuple, list subclass
        return node

    def mapping(self, value, depth):
        pairs = []
        for index, (key, item) in enumerate(value.items()):
            if index == CAP_ITEMS:
                pairs.append([{"t": "more", "n": len(value) - CAP_ITEMS}, {"t": "none"}])
                break
            pairs.append([self.node(key, depth + 1), self.node(item, depth + 1)])
        ordered = isinstance(value, collections.OrderedDict)
        if not ordered:
            pairs.sort(key=lambda pair: text(pair[0]))
        node = {"t": "odict" if ordered else "dict", "v": pairs}
        if type(value) not in (dict, collections.OrderedDict):
            node["type"] = _type_name(value)  # defaultdict, Counter, ...
        return node

    def exception(self, value, depth):
        args, _ = self.items(value.args, depth)
        return {"t": "exception", "type": _type_name(value), "args": args}

    def other(self, value, depth):
        """Instances of other classes: dataclass fields, else __dict__, else a repr without addresses."""
        node = {"t": "obj", "type": _type_name(value)}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: self.node(getattr(value, f.name, None), depth + 1) for f in dataclasses.fields(value)}
            return {**node, "fields": fields}
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict) and attributes and not callable(value):
            return {**node, "fields": {str(k): self.node(v, depth + 1) for k, v in sorted(attributes.items())}}
        try:
            shown = repr(value)
        except Exception as error:  # a broken __repr__ is still an output
            shown = f"<repr failed: {type(error).__name__}>"
        return {**node, **_cut(_ADDRESS.sub("", shown))}


def _float_text(value):
    if math.isnan(value):
        return "nan"
    return repr(value)  # "inf", "-inf", "-0.0" and shortest round-trip digits


def _type_name(value):
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "__main__") else f"{module}.{name}"
