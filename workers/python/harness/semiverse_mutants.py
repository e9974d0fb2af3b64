"""Small changes to a function's code (mutants), for choosing test cases that catch them: EvalPlus reduces
its test suites by set cover over code coverage AND killed mutants, because covering a line is not the same
as checking what it computes. A mutant is the program with exactly one change in the entry function's body.

Operators (classic mutation testing, first-order): arithmetic operator swaps, comparison boundary and
negation swaps, and/or swaps, `not` removed, integer constants +1 / -1, a returned expression replaced by
None, an `if` condition negated. Mutants are listed in source order and thinned evenly to `limit`; which
ones is deterministic. Nothing is run here.
"""

import ast
import copy

_ARITH = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.Div: ast.Mult, ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd, ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
}  # fmt: skip
_COMPARE = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip


def _entry(tree, entry_point):
    body = tree.body
    node = None
    for i, name in enumerate(entry_point.split(".")):
        wanted = (ast.FunctionDef, ast.AsyncFunctionDef) if i == len(entry_point.split(".")) - 1 else ast.ClassDef
        found = [n for n in body if isinstance(n, wanted) and n.name == name]
        if not found:
            return None
        node = found[-1]
        body = node.body
    return node


def _sites(function):
    """(node, kind) for every place a mutation operator applies, in source order."""
    sites = []
    for node in ast.walk(function):
        if node is function:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            sites.append((node, "arith"))
        elif isinstance(node, ast.AugAssign) and type(node.op) in _ARITH:
            sites.append((node, "arith"))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            sites.append((node, "compare"))
        elif isinstance(node, ast.BoolOp):
            sites.append((node, "boolop"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            sites.append((node, "not"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            sites.append((node, "int+1"))
            sites.append((node, "int-1"))
        elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None
        ):
            sites.append((node, "return-none"))
        elif isinstance(node, (ast.If, ast.While)):
            sites.append((node, "negate-if"))
    sites.sort(key=lambda site: (getattr(site[0], "lineno", 0), getattr(site[0], "col_offset", 0), site[1]))
    return sites


def _apply(node, kind):
    if kind == "arith":
        node.op = _ARITH[type(node.op)]()
    elif kind == "compare":
        node.ops = [_COMPARE[type(node.ops[0])]()]
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        return node.operand
    elif kind == "int+1":
        node.value = node.value + 1
    elif kind == "int-1":
        node.value = node.value - 1
    elif kind == "return-none":
        node.value = ast.Constant(value=None)
    elif kind == "negate-if":
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    return node


class _Replace(ast.NodeTransformer):
    def __init__(self, target, kind):
        self.target = target
        self.kind = kind

    def generic_visit(self, node):
        node = super().generic_visit(node)
        if node is self.target:
            return _apply(node, self.kind)
        return node


def mutants(program, entry_point, limit):
    """[{"program": text, "line": n, "kind": operator}] — at most `limit`, spread over the function."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    function = _entry(tree, entry_point)
    if function is None:
        return []
    sites = _sites(function)
    if len(sites) > limit > 0:
        step = len(sites) / limit
        sites = [sites[int(i * step)] for i in range(limit)]
    out = []
    seen = set()
    for index, (node, kind) in enumerate(sites):
        mutated = copy.deepcopy(tree)
        target = _find_same(mutated, tree, node)
        if target is None:
            continue
        try:
            _Replace(target, kind).visit(mutated)
            ast.fix_missing_locations(mutated)
            text = ast.unparse(mutated)
            compile(text, "<mutant>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError, TypeError):
            continue
        if text in seen:
            continue
        seen.add(text)
        out.append({"program": text, "line": getattr(node, "lineno", 0), "kind": kind})
    return out


def _find_same(copied_tree, tree, node):
    """The node in a deep copy that stands where `node` stands in the original (walk order is the same)."""
    for original, copied in zip(ast.walk(tree), ast.walk(copied_tree)):
        if original is node:
            return copied
    return None
