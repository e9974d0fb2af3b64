"""What a unit of code needs from its module so that it can run on its own.

A unit is a module-level function or a whole top-level class (a method cannot run without its class).
Its program is: the ``__future__`` imports, then every module-level statement that binds a name the unit
needs (found transitively, kept in file order, imports trimmed to the names used), then the unit.

Invariants:
- Runs on Python 3.11+ (native CPython runs this same file as the benchmark baseline).
- Never recurses over the AST: files with thousands of nesting levels must not blow the stack.
- Over-inclusion is safe (the real module ran those statements too); under-inclusion is caught later,
  when the program runs and raises NameError.
"""

import ast
import builtins
import symtable

_BUILTINS = frozenset(dir(builtins))
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def bound_names(stmt):
    """Names a module-level statement binds, without entering nested scopes. '*' marks a star import."""
    names = set()
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            stack.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)  # `del x` unbinds: it is not a reason to include a statement
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        elif type(node).__name__ == "TypeAlias":  # `type X = ...`, Python 3.12+
            names.add(node.name.id)
            continue
        if isinstance(node, _COMPREHENSIONS):
            # Comprehension targets are local to the comprehension; only walrus targets leak out.
            stack.extend(n for n in ast.walk(node) if isinstance(n, ast.NamedExpr))
            continue
        stack.extend(ast.iter_child_nodes(node))
    return names


def augmented_names(stmt):
    """Names whose attributes or items a module-level statement sets (`timezone.utc = ...`,
    `table["k"] = v`): the object is not complete without that statement."""
    names = set()
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (*_SCOPES, *_COMPREHENSIONS)):
            continue
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                names.add(base.id)
        stack.extend(ast.iter_child_nodes(node))
    return names


def referenced_globals(source, filename):
    """Names a piece of module-level code reads from module scope (or from builtins)."""
    table = symtable.symtable(source, filename, "exec")
    names = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    stack = list(table.get_children())
    while stack:
        child = stack.pop()
        stack.extend(child.get_children())
        is_class = child.get_type() == "class"
        for sym in child.get_symbols():
            if sym.is_global() and (sym.is_referenced() or sym.is_declared_global()):
                names.add(sym.get_name())
            elif is_class and sym.is_referenced() and sym.is_local():
                names.add(sym.get_name())  # `IO = IO` in a class body reads the module's IO first
    return names


def child_statements(node):
    """Statements directly inside a node's blocks. Walking only these is enough to find every def,
    class and import (they cannot appear inside expressions) and is several times faster than ast.walk."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list):
            yield from block
    for holder in getattr(node, "handlers", ()) or getattr(node, "cases", ()):
        yield from holder.body


def statements(tree):
    """Every statement in a tree, nested blocks included, without recursion."""
    stack = [tree] if isinstance(tree, ast.stmt) else list(child_statements(tree))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child_statements(node))


def import_roots(tree):
    """(root module name, level) of every import inside some code, nested scopes included."""
    roots = []
    for node in statements(tree):
        if isinstance(node, ast.Import):
            roots.extend((a.name.split(".")[0], 0) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.append(((node.module or "").split(".")[0], node.level or 0))
    return roots


class ModuleScope:
    """Module-level statements of one file: what each binds and (lazily) what each reads."""

    def __init__(self, tree, source_of, filename):
        self.stmts = tree.body
        self.source_of = source_of  # stmt -> its source text at column 0
        self.filename = filename
        self.binders = {}  # name -> indices of statements that bind it
        self.augmenters = {}  # name -> indices of statements that set its attributes or items
        self.import_stmts = {i for i, stmt in enumerate(self.stmts) if isinstance(stmt, (ast.Import, ast.ImportFrom))}
        self.star_imports = []
        self.future_imports = []
        self._reads = {}
        for index, stmt in enumerate(self.stmts):
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                self.future_imports.append(index)
                continue
            for name in bound_names(stmt):
                if name == "*":
                    # Only a plain `from x import *` is a safe guess for an unresolved name; one inside
                    # try/if blocks usually comes with clean-up code that needs the whole module.
                    if isinstance(stmt, ast.ImportFrom):
                        self.star_imports.append(index)
                else:
                    self.binders.setdefault(name, []).append(index)
            if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                for name in augmented_names(stmt):
                    self.augmenters.setdefault(name, []).append(index)

    def reads(self, index):
        if index not in self._reads:
            stmt = self.stmts[index]
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._reads[index] = set()
            else:
                self._reads[index] = referenced_globals(self.source_of(stmt), self.filename)
        return self._reads[index]

    def closure(self, needed, unit_name, exclude):
        """Indices of statements needed (transitively) for `needed`, plus the names used from each.

        `exclude` is the index of the statement holding the unit itself. Statements that rebind the
        unit's own name are left out (a later redefinition would replace the unit); statements that
        complete it (`Unit.attr = ...`) are kept.
        Returns (sorted statement indices, {index: names used from that statement}).
        """
        chosen = {}
        seen = {unit_name}
        todo = [n for n in needed if n not in _BUILTINS or n in self.binders]
        todo_pairs = [(index, unit_name) for index in self.augmenters.get(unit_name, ())]
        while todo or todo_pairs:
            if todo:
                name = todo.pop()
                if name not in seen:
                    seen.add(name)
                    binders = self.binders.get(name) or self.star_imports  # maybe from `import *`
                    todo_pairs.extend((index, name) for index in binders)
                    if not all(index in self.import_stmts for index in binders):
                        # `Unit.attr = v` completes a class the module defines; `sys.modules[k] = v`
                        # does not complete the sys module.
                        todo_pairs.extend((index, name) for index in self.augmenters.get(name, ()))
                continue
            index, name = todo_pairs.pop()
            if index == exclude:
                continue
            if index not in chosen:
                chosen[index] = set()
                todo.extend(n for n in self.reads(index) if n not in _BUILTINS or n in self.binders)
            chosen[index].add(name)
        return sorted(chosen), chosen


def trimmed_import(stmt, names):
    """The import statement reduced to the aliases that bind `names` (source text)."""
    if isinstance(stmt, ast.Import):
        keep = [a for a in stmt.names if (a.asname or a.name.split(".")[0]) in names]
        return ast.unparse(ast.Import(names=keep)) if keep else None
    if isinstance(stmt, ast.ImportFrom):
        if any(a.name == "*" for a in stmt.names):
            return ast.unparse(stmt)
        keep = [a for a in stmt.names if (a.asname or a.name) in names]
        if not keep:
            return None
        return ast.unparse(ast.ImportFrom(module=stmt.module, names=keep, level=stmt.level))
    return None
