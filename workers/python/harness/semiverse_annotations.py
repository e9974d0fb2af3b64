"""Simple parameter annotations as checks on literal arguments: an argument set an LLM proposed with a
value the function says it does not take is reported as invalid instead of being run.

Only annotations with a plain meaning are checked: int, float, complex, str, bytes, bool, list, dict,
tuple, set, frozenset and None, their typing names (List, Dict, ...), generics of them (list[int],
dict[str, list[int]], tuple[int, ...], tuple[int, str]), Optional[X], Union[X, Y] and X | Y. Anything
else (Any, Sequence, a class of the program) accepts every value. As in Python's numeric tower an int is
accepted where a float is annotated, and an int or float where a complex is; a bool is NOT accepted where
an int is (True for an int is almost always a mistake in a proposed input).

Annotations are read as text (annotationlib's STRING format where there is one, 3.14): evaluating them
could fail on a forward reference or run code.
"""

import ast
import inspect

try:
    import annotationlib
except ImportError:  # before 3.14 (the native benchmark baseline)
    annotationlib = None

_EXACT = {"int": int, "str": str, "bytes": bytes, "bool": bool}
_CONTAINERS = {
    "list": list, "List": list, "dict": dict, "Dict": dict, "tuple": tuple, "Tuple": tuple,
    "set": set, "Set": set, "frozenset": frozenset, "FrozenSet": frozenset,
}  # fmt: skip


class Checks:
    """The checkable annotations of one function's parameters, parsed once for a batch of cases."""

    def __init__(self, function, signature):
        self.signature = signature
        self.checks = {}  # parameter name -> (annotation text, check)
        if signature is None:
            return
        texts = _annotation_texts(function)
        for name in signature.parameters:
            annotation = texts.get(name)
            check = _parse(annotation) if isinstance(annotation, str) else None
            if check is not None:
                self.checks[name] = (annotation, check)

    def problem(self, bound):
        """Why the bound arguments do not fit the annotations, or None."""
        for name, value in bound.arguments.items():
            if name not in self.checks:
                continue
            annotation, check = self.checks[name]
            kind = self.signature.parameters[name].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                bad = next((v for v in value if not check(v)), _FITS)
            elif kind is inspect.Parameter.VAR_KEYWORD:
                bad = next((v for v in value.values() if not check(v)), _FITS)
            else:
                bad = _FITS if check(value) else value
            if bad is not _FITS:
                return f"{name}: {_shown(bad)} is not {annotation}"
        return None


_FITS = object()


def _shown(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _annotation_texts(function):
    target = getattr(function, "__func__", function)
    try:
        target = inspect.unwrap(target)
        if annotationlib is not None:
            return dict(annotationlib.get_annotations(target, format=annotationlib.Format.STRING))
        raw = getattr(target, "__annotations__", None) or {}
        return {name: value if isinstance(value, str) else _type_text(value) for name, value in raw.items()}
    except Exception:  # an annotation that cannot even be read as text is not checked
        return {}


def _type_text(annotation):
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    return repr(annotation)


def _parse(annotation):
    try:
        node = ast.parse(annotation.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _check(node, 0)


def _name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # typing.List, t.Optional
        return node.attr
    return None


def _check(node, depth):
    """A predicate for values of the annotation `node`, or None when it is not one we check."""
    if depth > 10:
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return lambda v: v is None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a quoted annotation inside one
        return _parse(node.value) if depth < 10 else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([node.left, node.right], depth)
    if isinstance(node, ast.Subscript):
        return _generic(_name(node.value), node.slice, depth)
    name = _name(node)
    if name in ("None", "NoneType"):
        return lambda v: v is None
    if name in _EXACT:
        kind = _EXACT[name]
        return lambda v: type(v) is kind
    if name == "float":
        return lambda v: type(v) in (int, float)
    if name == "complex":
        return lambda v: type(v) in (int, float, complex)
    if name in _CONTAINERS:
        kind = _CONTAINERS[name]
        return lambda v: type(v) is kind
    return None


def _union(nodes, depth):
    checks = [_check(n, depth + 1) for n in nodes]
    if any(c is None for c in checks):
        return None
    return lambda v: any(c(v) for c in checks)


def _generic(name, index, depth):
    parts = list(index.elts) if isinstance(index, ast.Tuple) else [index]
    if name == "Optional" and len(parts) == 1:
        inner = _check(parts[0], depth + 1)
        return None if inner is None else (lambda v: v is None or inner(v))
    if name == "Union":
        return _union(parts, depth)
    kind = _CONTAINERS.get(name)
    if kind is None:
        return None
    if kind is dict:
        if len(parts) != 2:
            return None
        keys, values = _check(parts[0], depth + 1), _check(parts[1], depth + 1)
        key_ok = keys or (lambda v: True)
        value_ok = values or (lambda v: True)
        return lambda v: type(v) is dict and all(key_ok(k) and value_ok(x) for k, x in v.items())
    if kind is tuple:
        return _tuple(parts, depth)
    if len(parts) != 1:
        return None
    item = _check(parts[0], depth + 1) or (lambda v: True)
    return lambda v: type(v) is kind and all(item(x) for x in v)


def _tuple(parts, depth):
    if len(parts) == 2 and isinstance(parts[1], ast.Constant) and parts[1].value is Ellipsis:
        item = _check(parts[0], depth + 1) or (lambda v: True)
        return lambda v: type(v) is tuple and all(item(x) for x in v)
    if len(parts) == 1 and isinstance(parts[0], ast.Tuple) and not parts[0].elts:  # tuple[()]
        return lambda v: v == ()
    items = [_check(p, depth + 1) or (lambda v: True) for p in parts]
    return lambda v: type(v) is tuple and len(v) == len(items) and all(c(x) for c, x in zip(items, v))
