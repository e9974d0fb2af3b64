"""What kind of callable a program's entry point is, read from its source (nothing is run): the LLM
pipeline decides from this which functions it can test by calling them with arguments.

Reply: {"found": false} or {"found": true, "kind": "function" | "staticmethod" | "classmethod" | "method" |
"property", "isAsync", "generator", "params": {"names", "required", "max"}, "decorators"}, where `params`
counts what a caller passes (self and cls left out) and `max` is null with *args.
"""

import ast

_CALLABLE_BY_CLASS = {"staticmethod": "staticmethod", "classmethod": "classmethod", "property": "property"}


def describe(program, entry_point):
    tree = ast.parse(program)
    parts = entry_point.split(".")
    body = tree.body
    node = None
    for i, name in enumerate(parts):
        last = i == len(parts) - 1
        wanted = (ast.FunctionDef, ast.AsyncFunctionDef) if last else ast.ClassDef
        found = [n for n in body if isinstance(n, wanted) and n.name == name]
        if not found:
            return {"found": False}
        node = found[-1]  # a later definition of the same name wins, as at run time
        body = node.body
    in_class = len(parts) > 1
    decorators = [_decorator_name(d) for d in node.decorator_list]
    kind = "function"
    if in_class:
        kind = "method"
        for name in decorators:
            if name.split(".")[-1] in _CALLABLE_BY_CLASS:
                kind = _CALLABLE_BY_CLASS[name.split(".")[-1]]
        if any(name.endswith(".setter") or name.endswith(".getter") for name in decorators):
            kind = "property"
    args = node.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    if kind in ("method", "classmethod", "property") and positional:
        positional = positional[1:]
    required_positional = len(positional) - len(args.defaults)
    required_keywords = [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
    return {
        "found": True,
        "kind": kind,
        "isAsync": isinstance(node, ast.AsyncFunctionDef),
        "generator": _yields(node),
        "params": {
            "names": positional + [a.arg for a in args.kwonlyargs],
            "required": max(0, required_positional) + len(required_keywords),
            "max": None if args.vararg else len(positional) + len(args.kwonlyargs),
            "varargs": args.vararg is not None,
            "varkw": args.kwarg is not None,
        },
        "decorators": decorators,
    }


def _decorator_name(node):
    target = node.func if isinstance(node, ast.Call) else node
    try:
        return ast.unparse(target)
    except Exception:  # noqa: BLE001 - a decorator we cannot print is just unnamed
        return "?"


def _yields(function):
    """Whether the function's own body yields (a nested function or lambda that yields does not count)."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False
