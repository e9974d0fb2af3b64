"""New argument sets from given ones by type-aware mutation, after EvalPlus's idea (its type-aware
mutator, written anew here): many more inputs for the oracle without the GPU. Runs no code of the program:
the program is only parsed, for the constants in its entry function (EvalPlus's "ingredients", together
with the numbers and strings of the inputs).

One step changes one argument: an int by ±1 or to a constant seen; a float scaled, shifted or negated; a
string spliced (a slice inserted, deleted, repeated or replaced, mostly with characters it already has
or strings seen); a list, tuple or set by dropping, repeating, swapping or mutating an element, or adding
a mutated copy of one; a dict by adding, removing or mutating an entry; a bool flipped; None kept. A new
set takes one to three steps, from an input or from an earlier output.

Invariants:
- each argument keeps its type, and so does every element (an element is mutated within its type or
  copied; an empty container is filled from elements seen in the same place of another input);
- bounded: strings STR_CAP characters, containers ITEMS_CAP elements, ints within ±INT_CAP, unless an
  input was larger; floats finite;
- new: no output equals an input or another output (compared by their written text, which is equal
  exactly for equal values of the same types);
- deterministic for a seed: one random.Random(seed), sets and ingredients visited in a fixed order;
- every argument is written as a literal (repr, with set members in a fixed order) that ast.literal_eval
  reads back to the same value (checked).
"""

import ast
import math
import random
import string

import semiverse_values as values
from semiverse_extract import _too_deep

MAX_COUNT = 1000  # argument sets per request
STR_CAP = 200
ITEMS_CAP = 50
INT_CAP = 10**6
FLOAT_CAP = 1e6
MAX_STEPS = 3  # mutations per new argument set
ATTEMPTS = 20  # tries per argument set asked for: small inputs run out of new values
MAX_DEPTH = 8  # containers nested deeper are copied, not mutated
_CONSTANT_TEXT = 50  # longest string constant of the program worth reusing
_OTHER_CHARS = string.ascii_letters + string.digits + " "


class _Args:
    __slots__ = ("args", "kwargs")

    def __init__(self, args, kwargs):
        self.args = tuple(args)
        self.kwargs = tuple(kwargs)  # (name, value) pairs, in the given order


def mutate_cases(job):
    rng = random.Random(job.get("seed", 0))
    count = max(0, min(int(job.get("count", 0)), MAX_COUNT))
    seeds = _read(job.get("cases", []))
    if not seeds or not count:
        return {"cases": []}
    mutator = _Mutator(rng, seeds, _constants(job.get("program"), job.get("entryPoint")))
    seen = {_key(seed) for seed in seeds}
    pool, out = list(seeds), []
    for _ in range(count * ATTEMPTS):
        if len(out) == count:
            break
        new = rng.choice(seeds if rng.random() < 0.5 else pool)
        for _ in range(rng.randint(1, MAX_STEPS)):
            new = mutator.step(new)
        key = _key(new)
        if key is None or key in seen:
            continue
        seen.add(key)
        written = _written(new)
        if written is not None:
            pool.append(new)
            out.append(written)
    return {"cases": out}


def _read(cases):
    seeds = []
    for case in cases:
        try:
            args = [values.read_literal(text) for text in case.get("args", [])]
            kwargs = [(name, values.read_literal(text)) for name, text in (case.get("kwargs") or {}).items()]
        except values.NotLiteral:
            continue  # the stage reports it when the case runs; nothing to mutate here
        seeds.append(_Args(args, kwargs))
    return seeds


def _key(case):
    try:
        return values.text((case.args, case.kwargs), literal=True, cap=1_000_000)
    except values.NotWritable:
        return None


def _written(case):
    try:
        args = [values.source(value, literal=True) for value in case.args]
        kwargs = {name: values.source(value, literal=True) for name, value in case.kwargs}
    except (values.NotWritable, ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return {"args": args, "kwargs": kwargs} if kwargs else {"args": args}


def _constants(program, entry):
    """Numbers and short strings written in the entry function's code (its node in the program's AST)."""
    if not isinstance(program, str) or not isinstance(entry, str) or _too_deep(program):
        return []
    try:
        body = ast.parse(program).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    node = None
    for part in entry.split("."):
        types = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        node = next((n for n in body if isinstance(n, types) and n.name == part), None)
        if node is None:
            return []
        body = node.body
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and type(child.value) in (int, float, str):
            value = child.value
            if type(value) is str and len(value) > _CONSTANT_TEXT:
                continue
            found.append(value)
    return found


def _walk(value, visit, depth=0):
    if depth > MAX_DEPTH:
        return
    visit(value)
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            _walk(key, visit, depth + 1)
            _walk(item, visit, depth + 1)
    elif kind in (list, tuple, set, frozenset):
        for item in value:
            _walk(item, visit, depth + 1)


def _members(value):
    """A container's elements in a fixed order (sets by their text, whatever the hash seed); a dict's
    (key, value) pairs."""
    if type(value) in (set, frozenset):
        return sorted(value, key=lambda item: values.text(item, cap=1_000_000))
    if type(value) is dict:
        return list(value.items())
    return list(value)


class _Mutator:
    def __init__(self, rng, seeds, constants):
        self.rng = rng
        found = {int: set(), float: set(), str: set(), bytes: set()}
        largest = {"int": INT_CAP, "str": STR_CAP, "items": ITEMS_CAP}

        def visit(value):
            kind = type(value)
            if kind in found and not (kind is float and not math.isfinite(value)):
                found[kind].add(value)
            if kind is str:
                found[str].update(token for token in value.split() if len(token) < len(value))
            if kind is int:
                largest["int"] = max(largest["int"], abs(value))
            elif kind in (str, bytes):
                largest["str"] = max(largest["str"], len(value))
            elif kind in (list, tuple, set, frozenset, dict):
                largest["items"] = max(largest["items"], len(value))

        # (position or name, container type) -> members seen in such containers there: an empty one is filled from these
        self.examples = {}
        for seed in seeds:
            for slot, value in self._slots(seed):
                _walk(value, visit)
                if type(value) in (list, tuple, set, frozenset, dict):
                    self.examples.setdefault((slot, type(value)), []).extend(_members(value))
        for constant in constants:
            if type(constant) is float and not math.isfinite(constant):
                continue
            found[type(constant)].add(constant)
        self.ints = sorted(v for v in found[int] if abs(v) <= largest["int"])
        self.floats = sorted(v for v in found[float] if abs(v) <= max(FLOAT_CAP, largest["int"]))
        self.strs = sorted(v for v in found[str] if len(v) <= largest["str"])
        self.bytes = sorted(found[bytes])
        self.int_cap, self.str_cap, self.items_cap = largest["int"], largest["str"], largest["items"]
        self.alphabet = sorted(set("".join(self.strs)))
        self.byte_alphabet = sorted(set(b"".join(self.bytes)))

    @staticmethod
    def _slots(case):
        return [*enumerate(case.args), *case.kwargs]

    def step(self, case):
        """`case` with one argument mutated (None and Ellipsis are kept, so a case of only those stays)."""
        slots = [(slot, value) for slot, value in self._slots(case) if value is not None and value is not Ellipsis]
        if not slots:
            return case
        slot, value = self.rng.choice(slots)
        new = self.value(value, 0, self.examples.get((slot, type(value)), ()))
        if type(slot) is int:
            args = list(case.args)
            args[slot] = new
            return _Args(args, case.kwargs)
        return _Args(case.args, [(name, new if name == slot else old) for name, old in case.kwargs])

    def value(self, value, depth, examples=()):
        """`value` mutated within its type; `examples`: members seen in containers of its type and place."""
        kind = type(value)
        if kind is bool:
            return not value
        if kind is int:
            return self.integer(value)
        if kind is float:
            return self.real(value)
        if kind is complex:
            if self.rng.random() < 0.5:
                return complex(self.real(value.real), value.imag)
            return complex(value.real, self.real(value.imag))
        if kind is str:
            return self.text(value)
        if kind is bytes:
            return self.raw(value)
        if depth >= MAX_DEPTH:
            return value
        if kind is list:
            return self.sequence(list(value), depth, examples, structural=True)
        if kind is tuple:
            homogeneous = len({type(item) for item in value}) == 1 and len(value) > 2
            structural = homogeneous and self.rng.random() < 0.3  # tuples are often records of fixed length
            return tuple(self.sequence(list(value), depth, examples, structural))
        if kind in (set, frozenset):
            return kind(self.sequence(_members(value), depth, examples, structural=True))
        if kind is dict:
            return self.mapping(value, depth, examples)
        return value

    def integer(self, value):
        rng = self.rng
        roll = rng.random()
        if roll < 0.2 and self.ints:
            new = rng.choice(self.ints)
        elif roll < 0.3:
            new = -value
        elif roll < 0.35:
            new = value * 2
        elif roll < 0.4:
            new = value // 2
        else:
            new = value + rng.choice((-1, 1))
        if abs(new) > self.int_cap:  # one step towards zero stays within bounds
            new = value - 1 if value > 0 else value + 1
        return new

    def real(self, value):
        rng = self.rng
        roll = rng.random()
        if roll < 0.2 and (self.floats or self.ints):
            new = float(rng.choice(self.floats or self.ints))
        elif roll < 0.3:
            new = -value
        elif roll < 0.65:
            new = value + rng.uniform(-1, 1)
        else:
            new = value * (1 + rng.uniform(-0.5, 0.5))
        new = float(f"{new:.6g}")  # short enough to read in a test
        return new if math.isfinite(new) and abs(new) <= max(FLOAT_CAP, abs(value)) else value

    def text(self, value):
        rng = self.rng
        if rng.random() < 0.15 and self.strs:
            return rng.choice(self.strs)
        pieces = self.strs

        def char():
            own = value or "".join(self.alphabet)
            return rng.choice(own) if own and rng.random() < 0.9 else rng.choice(_OTHER_CHARS)

        return self.splice(value, pieces, char, self.str_cap)

    def raw(self, value):
        rng = self.rng
        if rng.random() < 0.15 and self.bytes:
            return rng.choice(self.bytes)

        def byte():
            own = value or bytes(self.byte_alphabet)
            return bytes([rng.choice(own)]) if own and rng.random() < 0.9 else bytes([rng.randrange(256)])

        return self.splice(value, self.bytes, byte, self.str_cap)

    def splice(self, value, pieces, one, cap):
        """Insert, delete, repeat, replace or swap a slice of a str or bytes."""
        rng = self.rng
        size = len(value)
        operation = rng.randrange(6) if size else 0
        at = rng.randint(0, size)
        if operation == 0:  # insert a piece seen, or a character
            piece = rng.choice(pieces) if pieces and rng.random() < 0.4 else one()
            new = value[:at] + piece + value[at:]
        elif operation == 1:  # delete a short slice
            start = rng.randrange(size)
            new = value[:start] + value[start + rng.randint(1, 3) :]
        elif operation == 2:  # repeat a slice
            start = rng.randrange(size)
            end = min(size, start + rng.randint(1, 3))
            new = value[:end] + value[start:end] + value[end:]
        elif operation == 3:  # replace one character
            start = rng.randrange(size)
            new = value[:start] + one() + value[start + 1 :]
        elif operation == 4 and size > 1:  # swap two characters
            i, j = sorted(rng.sample(range(size), 2))
            new = value[:i] + value[j : j + 1] + value[i + 1 : j] + value[i : i + 1] + value[j + 1 :]
        else:  # change the case of a letter, or drop the ends
            new = value.swapcase() if rng.random() < 0.3 else value[rng.randint(0, 1) : size - rng.randint(0, 1)]
        return new[:cap]

    def sequence(self, items, depth, examples, structural):
        """A list's elements mutated: dropped, repeated, swapped, changed, or a changed copy added."""
        rng = self.rng
        children = self._children(items)
        if not items:
            if not examples or not structural:
                return items
            return [rng.choice(examples)]
        room = len(items) < self.items_cap
        operation = rng.randrange(6) if structural else 4
        at = rng.randrange(len(items))
        if operation == 0:
            return items[:at] + items[at + 1 :]
        if operation == 1 and room:
            copy = self.value(items[at], depth + 1, children.get(type(items[at]), ()))
            return items[:at] + [copy] + items[at:] if rng.random() < 0.5 else items + [copy]
        if operation == 2 and room:
            return items[:at] + [items[at]] + items[at:]
        if operation == 3 and len(items) > 1:
            i, j = rng.sample(range(len(items)), 2)
            items = list(items)
            items[i], items[j] = items[j], items[i]
            return items
        if operation == 5:
            ordered = _sorted(items)
            if ordered is not None and ordered != items:
                return ordered if rng.random() < 0.5 else ordered[::-1]
        items = list(items)
        items[at] = self.value(items[at], depth + 1, children.get(type(items[at]), ()))
        return items

    def mapping(self, value, depth, examples):
        rng = self.rng
        pairs = list(value.items())
        if not pairs:
            if not examples:
                return value
            key, item = rng.choice(examples)
            return {key: item}
        operation = rng.randrange(4)
        at = rng.randrange(len(pairs))
        key, item = pairs[at]
        children = self._children([v for _, v in pairs])
        if operation == 0:
            return dict(pairs[:at] + pairs[at + 1 :])
        if operation == 1 and len(pairs) < self.items_cap:
            new_key = self.value(rng.choice(pairs)[0], depth + 1)
            other = rng.choice(pairs)[1]
            if new_key not in value:
                return {**value, new_key: self.value(other, depth + 1, children.get(type(other), ()))}
        if operation == 2:
            new_key = self.value(key, depth + 1)
            if new_key not in value:
                return {(new_key if k == key else k): v for k, v in pairs}
        return {**value, key: self.value(item, depth + 1, children.get(type(item), ()))}

    @staticmethod
    def _children(items):
        """Members of the containers among `items`, by container type: what an empty one among them can be
        filled from."""
        found = {}
        for item in items:
            if type(item) in (list, tuple, set, frozenset, dict):
                found.setdefault(type(item), []).extend(_members(item))
        return found


def _sorted(items):
    kinds = {type(item) for item in items}
    if len(kinds) != 1 or kinds.pop() not in (int, float, str, bytes):
        return None
    if any(type(item) is float and math.isnan(item) for item in items):
        return None
    return sorted(items)
