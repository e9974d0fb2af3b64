"""What dedup compares, per function of one file: a hash of its normalised AST (the exact layer) and its
token sequence (the near layer's MinHash shingles, made in TypeScript: src/core/dedup/). Reads source, runs
none of it.

Normalisation, for both:
- docstrings (of the function and of everything nested in it) are dropped, comments and formatting never
  reach the AST or the token sequence, and annotations are left out of the hash (type hints do not change
  what code does);
- names the function binds itself (its own name, parameters, locals, names of nested functions and
  classes, comprehension and loop targets, `except ... as e`, `import x as y`'s y, match captures) are
  renamed `$0`, `$1`, ... in order of first use: such a name is chosen by whoever wrote the code and
  carries no behaviour, so a copy with renamed variables is the same function;
- free names (builtins, globals, modules imported by name, names declared `global`), attribute names and
  keyword-argument names are kept: they say WHAT is called or read (`len` vs `sum`, `.append` vs
  `.extend`, `math` vs `cmath`), so a different behaviour keeps a different hash;
- constants are kept by value (`'a'` and `"a"` are one constant; `1`, `1.0` and `True` are three).

The hash is of `Python version + the canonical dump`: the dump of one interpreter is compared only with
the dump of the same interpreter (a project's dedup runs in one Pyodide).

Reply: {"ok": true, "functions": [{"hash": str, "tokens": [str, ...]} | null, ...]} in request order (null:
no function defines at that line, or it nests too deeply to walk), or {"ok": false, "error": str}.
"""

import ast
import bisect
import hashlib
import io
import sys
import tokenize

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_DROPPED_TOKENS = frozenset(
    (tokenize.ENCODING, tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER, getattr(tokenize, "TYPE_COMMENT", -1))
)
# Fields left out of the hash: positions are never dumped; these do not change what the code does.
_BINDS_NAME = frozenset(
    (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
    + tuple(getattr(ast, name) for name in ("TypeVar", "ParamSpec", "TypeVarTuple") if hasattr(ast, name))
)
_SKIPPED_FIELDS = frozenset(("ctx", "type_comment", "kind", "annotation", "returns"))
# String fields that hold a binding's name (renamed when bound): not `alias.name` (the module imported),
# `keyword.arg` (the callee's parameter), `Attribute.attr` or `ImportFrom.module`.
_NAME_FIELDS = frozenset(("id", "asname", "rest"))
_VERSION = "%d.%d" % sys.version_info[:2]


def normalise(text, linenos):
    """The hash and tokens of the function defined at each `def` line of `text`."""
    try:
        tree = ast.parse(text)
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (SyntaxError, ValueError, tokenize.TokenError, RecursionError, MemoryError) as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    defs = {}
    docstrings = []
    for node in _walk(tree):
        kind = type(node)
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            defs.setdefault(node.lineno, node)
        if (kind in _SCOPES or kind is ast.Module) and _docstring(node) is not None:
            doc = node.body[0]
            docstrings.append(((doc.lineno, doc.col_offset), (doc.end_lineno, doc.end_col_offset)))
    docstrings.sort()
    starts = [token.start for token in tokens]
    functions = []
    for lineno in linenos:
        node = defs.get(lineno)
        try:
            functions.append(None if node is None else _function(node, tokens, starts, docstrings))
        except RecursionError:  # nesting deeper than the walk's stack: this one takes no part in dedup
            functions.append(None)
    return {"ok": True, "functions": functions}


def _function(node, tokens, starts, docstrings):
    bound, kept_raw = _scan(node)
    parts = [_VERSION]
    _dump(node, bound, {}, parts)
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return {"hash": digest, "tokens": _tokens(node, bound, kept_raw, tokens, starts, docstrings)}


def _walk(root):
    """Every node under `root`: ast.walk without its generator per node (a third of the time here)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)


def _docstring(node):
    body = getattr(node, "body", None)
    if not body or not isinstance(body[0], ast.Expr):
        return None
    value = body[0].value
    return value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _scan(function):
    """In one walk: the names the function binds anywhere inside it (nested scopes included, less those
    declared global), and where a bound name's spelling is not a binding: keyword arguments (`f(key=...)`)
    and the module part of an import (`import os`, `from x import y`)."""
    bound = {function.name}
    declared_global = set()
    kept_raw = set()
    stack = [function]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:
                bound.add(node.id)
            continue
        if kind is ast.arg:
            bound.add(node.arg)
        elif kind is ast.keyword:
            if node.arg is not None:
                kept_raw.add((node.lineno, node.col_offset))
        elif kind is ast.alias:
            kept_raw.add((node.lineno, node.col_offset))
            if node.asname:
                bound.add(node.asname)
        elif kind in _BINDS_NAME:
            if node.name:
                bound.add(node.name)
        elif kind is ast.MatchMapping:
            if node.rest:
                bound.add(node.rest)
        elif kind is ast.Global:
            declared_global.update(node.names)
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    return bound - declared_global, kept_raw


def _rename(name, bound, names):
    if name not in bound:
        return name
    placeholder = names.get(name)
    if placeholder is None:
        placeholder = names[name] = f"${len(names)}"
    return placeholder


def _dump(node, bound, names, out):
    """A canonical dump of `node` into `out`: like ast.dump without positions, with the rules above."""
    if isinstance(node, ast.Constant):
        out.append(f"C{type(node.value).__name__}:{node.value!r}")
        return
    out.append(type(node).__name__)
    for field in node._fields:
        if field in _SKIPPED_FIELDS:
            continue
        value = getattr(node, field, None)
        if isinstance(value, str):
            if (
                field in _NAME_FIELDS
                or (field == "arg" and isinstance(node, ast.arg))
                or (field == "name" and not isinstance(node, ast.alias))
            ):
                value = _rename(value, bound, names)
            out.append(value)
        elif isinstance(value, ast.AST):
            _dump(value, bound, names, out)
        elif isinstance(value, list):
            items = value
            if field == "body" and isinstance(node, _SCOPES) and _docstring(node):
                items = value[1:] or [ast.Pass()]  # a body that was only a docstring
            out.append(f"[{len(items) or ''}")
            for item in items:
                if isinstance(item, ast.AST):
                    _dump(item, bound, names, out)
                else:  # Global/Nonlocal names
                    out.append(_rename(item, bound, names) if isinstance(item, str) else repr(item))
            out.append("]")
        elif value is None:
            out.append("~")
        else:
            out.append(repr(value))


def _tokens(function, bound, kept_raw, tokens, starts, docstrings):
    """The function's tokens, decorators included: comments, blank-line breaks and docstrings dropped,
    bound names renamed (not after a dot, not a keyword argument's or an imported module's name), string
    and number literals written by value. NEWLINE, INDENT and DEDENT stay as markers of the structure."""
    first = min([d.lineno for d in function.decorator_list] + [function.lineno])
    begin = bisect.bisect_left(starts, (first, 0))
    end = bisect.bisect_right(starts, (function.end_lineno, function.end_col_offset))
    names = {}
    out = []
    previous = None
    skip_newline = False
    doc_index = bisect.bisect_left(docstrings, ((first, 0), (0, 0)))
    for token in tokens[begin:end]:
        kind, text, start = token.type, token.string, token.start
        while doc_index < len(docstrings) and docstrings[doc_index][1] <= start:
            doc_index += 1
        if doc_index < len(docstrings) and docstrings[doc_index][0] <= start < docstrings[doc_index][1]:
            skip_newline = True
            continue
        # DEDENTs that close the block before the function sit at its first line.
        if kind in _DROPPED_TOKENS or (kind == tokenize.NEWLINE and skip_newline) or (kind == tokenize.DEDENT and not out):
            skip_newline = False
            continue
        skip_newline = False
        if kind == tokenize.NAME and text in bound and previous != "." and start not in kept_raw:
            text = _rename(text, bound, names)
        elif kind in (tokenize.STRING, tokenize.NUMBER):
            text = _literal(kind, text)
        elif kind == tokenize.NEWLINE:
            text = "\n"
        elif kind == tokenize.INDENT:
            text = "\t"
        elif kind == tokenize.DEDENT:
            text = "\b"
        out.append(text)
        previous = text
    return out


def _literal(kind, text):
    """A literal written one way: lower case for numbers (`0XFF`, `1E5`) and string prefixes, one quote
    style for strings. The body is kept as written (escapes included), so no literal is evaluated."""
    if kind == tokenize.NUMBER:
        return text.lower()
    prefix = text[: len(text) - len(text.lstrip("uUrRbBfFtT"))]
    quote = 3 if len(text) - len(prefix) >= 6 and text[-3:] in ('"""', "'''") else 1
    return prefix.lower() + repr(text[len(prefix) + quote : -quote])
