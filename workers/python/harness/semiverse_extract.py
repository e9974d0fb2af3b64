"""Semiverse extractor: one Python file in, every function and method in it out.

The shape of the reply is `ExtractReply` in src/domain/extract.ts. Every function that CPython's ast sees
(``FunctionDef`` and ``AsyncFunctionDef``, nested ones included) is returned, so counts agree with a
native ``ast.walk``; whether it can run on its own is a separate verdict (``program`` and ``blockers``).

Invariants:
- A file that does not parse is reported with its error, never dropped.
- One function whose analysis fails still comes back, with a blocker saying why.
- No recursion over the AST (see semiverse_deps).
"""

import ast
import doctest
import importlib.util
import io
import re
import sys
import tokenize

import semiverse_deps as deps

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_STDLIB = frozenset(sys.stdlib_module_names)

# Behaviour hints for later stages (probing, determinism checks). Roots of imported modules.
_FLAG_MODULES = {
    "io": {"os", "io", "pathlib", "shutil", "tempfile", "glob", "fileinput", "zipfile", "tarfile", "csv"},
    "randomness": {"random", "secrets", "uuid"},
    "time": {"time", "datetime"},
    "network": {"socket", "urllib", "http", "ssl", "smtplib", "ftplib", "requests", "httpx", "aiohttp"},
    "process": {"subprocess", "multiprocessing", "signal"},
    "threads": {"threading", "_thread", "concurrent"},
}
_FLAG_NAMES = {"io": {"open", "input"}}

_available = {}


def _stdlib_available(root):
    """Whether this interpreter ships a standard-library module (Pyodide leaves some out)."""
    if root not in _available:
        try:
            _available[root] = root in sys.builtin_module_names or importlib.util.find_spec(root) is not None
        except (ImportError, ValueError):
            _available[root] = False
    return _available[root]


def _origin(root, level, local_modules):
    if level > 0:
        return "local"
    if root in _STDLIB or root in sys.builtin_module_names:
        return "stdlib" if _stdlib_available(root) else "unavailable"
    return "local" if root in local_modules else "third_party"


class _Source:
    """Lines of the file and byte-accurate slicing (ast columns are UTF-8 byte offsets)."""

    def __init__(self, text):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def start_line(self, node):
        decorators = getattr(node, "decorator_list", None)
        return min([node.lineno] + [d.lineno for d in decorators]) if decorators else node.lineno

    def span(self, node):
        """[first, last] line numbers when the statement is exactly those whole lines, else None.
        Spans keep replies small: most segments are whole top-level statements the stored file holds."""
        first, last = self.start_line(node), node.end_lineno
        if node.col_offset != 0 or len(self.lines[last - 1].encode("utf-8")) != node.end_col_offset:
            return None
        return [first, last]

    def segment(self, node):
        """Source of a statement at column 0, or None when it cannot be lifted out of its block."""
        first, last = self.start_line(node), node.end_lineno
        lines = self.lines[first - 1 : last]
        if not lines:
            return None
        tail = lines[-1].encode("utf-8")[: node.end_col_offset].decode("utf-8", "replace")
        lines[-1] = tail
        head = lines[0]
        prefix = head[: len(head) - len(head.lstrip())]
        if first == node.lineno and not getattr(node, "decorator_list", None):
            # A simple statement may share its line with others (`a = 1; b = 2`): start at its column.
            lines[0] = head.encode("utf-8")[node.col_offset :].decode("utf-8", "replace")
            if len(lines) == 1:
                return lines[0]
        else:
            lines[0] = head[len(prefix) :]
        if prefix:
            for i in range(1, len(lines)):
                line = lines[i]
                if line.startswith(prefix):
                    lines[i] = line[len(prefix) :]
                elif line.strip():
                    return None  # e.g. a multi-line string less indented than its block
                else:
                    lines[i] = ""
        return "\n".join(lines)


def _walk_functions(tree):
    """(function node, enclosing scope nodes outermost first, index of its top-level statement)."""
    found = []
    stack = [(stmt, (), index) for index, stmt in enumerate(tree.body)]
    while stack:
        node, scopes, top = stack.pop()
        if isinstance(node, _FUNCS):
            found.append((node, scopes, top))
        inner = scopes + (node,) if isinstance(node, (*_FUNCS, ast.ClassDef)) else scopes
        stack.extend((child, inner, top) for child in deps.child_statements(node))
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return found


def _signature(node):
    prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    params = getattr(node, "type_params", None)
    generics = "[" + ", ".join(ast.unparse(p) for p in params) + "]" if params else ""
    returns = " -> " + ast.unparse(node.returns) if node.returns else ""
    return f"{prefix} {node.name}{generics}({ast.unparse(node.args)}){returns}"


# A heading left dangling once the examples under it are removed ("Examples:", "Usage::").
_DANGLING_HEADING = re.compile(r"\n?[ \t]*(examples?|example usage|usage|doctests?|e\.g\.|for example)[ \t]*:{0,2}[ \t]*$", re.I)


def _doctests(docstring, name):
    """(examples, prose, error) for a docstring; examples are dicts shaped like DoctestExample and prose is
    the docstring with the examples (and their expected output) taken out."""
    if not docstring:
        return [], None, None
    if ">>>" not in docstring:
        return [], docstring.strip(), None
    try:
        parts = doctest.DocTestParser().parse(docstring, name)
    except ValueError as error:
        return [], docstring.strip(), str(error)
    examples = [p for p in parts if isinstance(p, doctest.Example)]
    text = "".join(p for p in parts if isinstance(p, str))
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = _DANGLING_HEADING.sub("", text).strip()
    found = [{"source": e.source, "want": e.want, "excMsg": e.exc_msg, "lineno": e.lineno} for e in examples]
    return found, text, None


def _qualname(node, scopes):
    parts = []
    for scope in scopes:
        parts.append(scope.name)
        if isinstance(scope, _FUNCS):
            parts.append("<locals>")
    return ".".join(parts + [node.name])


class _FileExtractor:
    def __init__(self, path, text, tree, local_modules):
        self.path = path
        self.src = _Source(text)
        self.tree = tree
        self.local_modules = frozenset(local_modules)
        self.scope = deps.ModuleScope(tree, self._stmt_segment, path)
        self.segments = []
        self._segment_index = {}
        self._unit_reads = {}
        self._imports = {}  # id(tree) -> import roots; a class unit is shared by all its methods
        self.modules = {}  # every module the file's programs import -> its origin

    def _stmt_segment(self, stmt):
        return self.src.segment(stmt) or ast.unparse(stmt)

    def _add_segment(self, key, make_text):
        """Index of a segment in the file's table; each text is made (and stored) once per file."""
        if key not in self._segment_index:
            self._segment_index[key] = len(self.segments)
            self.segments.append(make_text())
        return self._segment_index[key]

    def _stmt(self, index):
        stmt = self.tree.body[index]
        return self._add_segment(("stmt", index), lambda: self.src.span(stmt) or self._stmt_segment(stmt))

    def function(self, node, scopes, top):
        record = _base_record(node, scopes, self.src)
        docstring = ast.get_docstring(node, clean=True)
        examples, prose, doctest_error = _doctests(docstring, node.name)
        record.update(
            docstring=docstring, prose=prose, examples=examples, doctestError=doctest_error, signature=_signature(node)
        )
        if record["kind"] == "nested":
            record["blockers"].append(
                {"kind": "nested"}
            )
            return record
        try:
            self._program(record, node, scopes, top, examples)
        except (RecursionError, MemoryError, SyntaxError, ValueError) as error:
            record["program"] = None
            record["blockers"].append({"kind": "analysis", "detail": f"{type(error).__name__}: {error}"})
        return record

    def _program(self, record, node, scopes, top, examples):
        unit = scopes[0] if scopes else node
        top_stmt = self.tree.body[top]
        if unit is top_stmt:
            unit_text = self._stmt_segment(unit)
            unit_key = ("stmt", top)
            unit_segment = self.src.span(unit) or unit_text
        else:
            unit_text = self.src.segment(unit)
            unit_key = ("unit", unit.lineno, unit.col_offset)
            unit_segment = unit_text
            if unit_text is None:
                record["blockers"].append(
                    {"kind": "dedent"}
                )
                return
        if unit_key not in self._unit_reads:
            self._unit_reads[unit_key] = deps.referenced_globals(unit_text, self.path) - {unit.name}
        needed = set(self._unit_reads[unit_key])
        example_code = []
        example_binds = set()
        for example in examples:
            try:
                needed |= deps.referenced_globals(example["source"], self.path)
                tree = ast.parse(example["source"])
            except (SyntaxError, ValueError, RecursionError):
                continue  # doctest reports a broken example when it runs
            example_code.append(tree)
            for stmt in tree.body:
                example_binds |= deps.bound_names(stmt)
        needed -= example_binds - set(self.scope.binders)  # `>>> x = f(2)` makes x, the module need not
        needed.discard(unit.name)
        indices, used = self.scope.closure(needed, unit.name, exclude=top)

        # File order, the unit at its own place: a helper defined after it may refer to it (`Pen = Turtle`).
        program = [self._stmt(i) for i in self.scope.future_imports]
        trees = [unit]
        unit_placed = False
        for index in indices:
            if index > top and not unit_placed:
                program.append(self._add_segment(unit_key, lambda: unit_segment))
                unit_placed = True
            stmt = self.tree.body[index]
            trees.append(stmt)
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                text = deps.trimmed_import(stmt, used[index])
                if text is not None:
                    program.append(self._add_segment(("import", index, text), lambda: text))
            else:
                program.append(self._stmt(index))
        if not unit_placed:
            program.append(self._add_segment(unit_key, lambda: unit_segment))
        record["program"] = program
        self._modules(record, trees, example_code, needed)

    def _modules(self, record, trees, example_trees, names):
        found = [r for tree in example_trees for r in deps.import_roots(tree)]
        for tree in trees:  # nodes of this file's own tree: they live as long as the extractor
            if id(tree) not in self._imports:
                self._imports[id(tree)] = deps.import_roots(tree)
            found.extend(self._imports[id(tree)])
        roots = {}
        for root, level in found:
            key = ("." * level + root) if level else root
            roots[key] = _origin(root, level, self.local_modules)
        self.modules.update(roots)
        flags = {flag for flag, mods in _FLAG_MODULES.items() if mods & set(roots)}
        flags |= {flag for flag, ns in _FLAG_NAMES.items() if ns & names}
        record["flags"] = sorted(flags)
        kinds = {"third_party": "third_party", "local": "local_module", "unavailable": "unavailable"}
        for name, origin in sorted(roots.items()):
            if origin in kinds:
                record["blockers"].append({"kind": kinds[origin], "module": name})


# CPython's parser recurses once per bracket level. In a browser worker the native stack runs out between
# 150 and 199 levels (measured in Chromium 150) and kills the interpreter, while CPython accepts up to 199
# (its tokenizer stops at 200, "too many nested parentheses"). Files nested deeper than this are reported
# instead of parsed.
_SAFE_BRACKET_DEPTH = 100
_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")


def _too_deep(text):
    """(line, message) for brackets nested deeper than _SAFE_BRACKET_DEPTH, else None.

    A C-speed scan of the brackets alone (strings and comments included) rules out almost every file; only
    a file whose scan passes the limit is tokenized (iteratively, no recursion) to count real brackets."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", text):
        depth = depth + 1 if char in "([{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    if deepest <= _SAFE_BRACKET_DEPTH:
        return None
    depth, first = 0, None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if depth > _SAFE_BRACKET_DEPTH and first is None:
                    first = token.start[0]
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except SyntaxError as error:  # CPython's own limit (200): report it as CPython does
        if first is not None:
            return error.lineno or first, error.msg
        return None  # some other error: ast.parse reports it
    except tokenize.TokenError:
        pass
    if first is None:
        return None
    return first, f"brackets nested more than {_SAFE_BRACKET_DEPTH} deep: too deep for the browser's Python parser"


def extract_file(path, text, local_modules=()):
    """Parse one file and describe every function in it (see module docstring)."""
    deep = _too_deep(text)
    if deep is not None:
        line, message = deep
        return {"ok": False, "error": {"kind": "SyntaxError", "line": line, "column": None, "message": message}}
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as error:  # IndentationError and TabError are SyntaxErrors
        return {
            "ok": False,
            "error": {"kind": type(error).__name__, "line": error.lineno, "column": error.offset, "message": error.msg},
        }
    except (RecursionError, MemoryError, ValueError) as error:
        message = str(error) or type(error).__name__
        return {"ok": False, "error": {"kind": type(error).__name__, "line": None, "column": None, "message": message}}
    extractor = _FileExtractor(path, text, tree, local_modules)
    functions = []
    for node, scopes, top in _walk_functions(tree):
        try:
            functions.append(extractor.function(node, scopes, top))
        except (RecursionError, MemoryError) as error:
            # Still counted: a function the analysis cannot handle is reported, not lost.
            record = _base_record(node, scopes, extractor.src)
            record["blockers"].append({"kind": "analysis", "detail": f"{type(error).__name__}: {error}"})
            functions.append(record)
    modules = [{"name": name, "origin": origin} for name, origin in sorted(extractor.modules.items())]
    return {"ok": True, "segments": extractor.segments, "modules": modules, "functions": functions}


def _base_record(node, scopes, src):
    """Everything about a function that needs no analysis beyond the parse."""
    classes = [s.name for s in scopes if isinstance(s, ast.ClassDef)]
    nested = any(isinstance(s, _FUNCS) for s in scopes)
    return {
        "qualname": _qualname(node, scopes),
        "name": node.name,
        "kind": "nested" if nested else ("method" if classes else "function"),
        "isAsync": isinstance(node, ast.AsyncFunctionDef),
        "classPath": classes,
        "lineno": node.lineno,
        "startLine": src.start_line(node),
        "endLine": node.end_lineno,
        "signature": f"def {node.name}(...)",
        "docstring": None,
        "prose": None,
        "examples": [],
        "doctestError": None,
        "program": None,
        "flags": [],
        "blockers": [],
    }
