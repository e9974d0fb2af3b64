"""The oldest Python 3 (3.8 to 3.14) whose grammar accepts a source: the version an exported sample needs.

Only Python 3.14 runs here (Pyodide), so older grammars are approximated in two steps:

1. `ast.parse(source, feature_version=(3, minor))`, from 3.8 up. It is best-effort: the parser is 3.14's,
   and only some rules check the version. Measured against native CPython 3.8-3.13 (test/unit/pythonVersion
   .test.ts), it catches walrus and positional-only parameters (3.8), `match` (3.10), `except*` (3.11),
   type parameters and `type` statements (3.12), type parameter defaults (3.13), `except A, B:` without
   parentheses and t-strings (3.14); it misses everything below.
2. Checks of our own, for what it misses, each with the release that first accepted it natively (which
   is sometimes earlier than the release notes say: CPython 3.9's new parser already took parenthesised
   context managers and unparenthesised walrus in sets):
   - 3.9: decorators that are any expression (PEP 614), `with (a as b, c as d):`, `for x in *a, *b:`,
     unparenthesised walrus as a set element;
   - 3.10: unparenthesised walrus as a subscript (`a[b := 1]`);
   - 3.11: star expressions in subscripts and `*args: *Ts` (PEP 646), an asynchronous comprehension
     inside a comprehension that is not itself asynchronous;
   - 3.12: f-strings that the 3.8-3.11 tokenizer and f-string parser reject (PEP 701): the enclosing
     quote reused inside, backslashes or comments in a replacement field, a newline in a replacement
     field of a single-quoted f-string, format specs nested more than two deep.

The source must also compile under 3.14 (`compile`, which runs nothing): if it does not, no version is
returned. Nothing of the source runs, so this needs no sandbox round trip.
"""

import ast
import io
import tokenize
import warnings

from semiverse_extract import _too_deep

OLDEST = 8
NEWEST = 14


def minimum_version(sources):
    """{"version": "3.x" or None, "reasons": [...]}: the oldest version that accepts every source."""
    minor, reasons = OLDEST, []
    for source in sources:
        found, why = _minimum_minor(source)
        if found is None:
            return {"version": None, "reasons": [why]}
        if found > minor:
            minor, reasons = found, [why]
        elif found == minor and why:
            reasons.append(why)
    return {"version": f"3.{minor}", "reasons": [r for r in reasons if r]}


def _minimum_minor(source):
    # Line endings change no grammar; positions below count lines by "\n" alone.
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    if _too_deep(source) is not None:
        return None, "brackets nested too deep to check in the browser"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<sample>", "exec", dont_inherit=True)
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as error:
        return None, f"Python 3.{NEWEST} does not compile it: {type(error).__name__}: {error}"
    minor, why = OLDEST, ""
    for candidate in range(OLDEST, NEWEST + 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(source, feature_version=(3, candidate))
            minor = candidate
            break
        except SyntaxError as error:
            why = f"line {error.lineno}: {error.msg}"
    else:
        minor = NEWEST
    if minor == OLDEST:
        why = ""
    for found, reason in _own_checks(source, tree):
        if found > minor:
            minor, why = found, reason
    return minor, why


def _own_checks(source, tree):
    """(minor, reason) for every construct feature_version lets through but older grammars reject."""
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError):
        tokens = []
    found += _token_checks(tokens)
    found += _fstring_checks(source, tokens)
    found += _TreeChecks(source).run(tree)
    return found


_SKIP = {tokenize.COMMENT, tokenize.NL}


def _token_checks(tokens):
    """PEP 614 decorators and parenthesised with-items, read from the tokens."""
    found = []
    code = [t for t in tokens if t.type not in _SKIP]
    for i, token in enumerate(code):
        if token.type == tokenize.OP and token.string == "@" and _starts_statement(code, i):
            if not _plain_decorator(code, i + 1):
                found.append((9, f"line {token.start[0]}: a decorator that is not a name or a call of one (PEP 614)"))
        if token.type == tokenize.NAME and token.string == "with" and i + 1 < len(code) and code[i + 1].string == "(":
            close = _matching(code, i + 1)
            if close is not None and close + 1 < len(code) and code[close + 1].string == ":":
                depth = 0
                for inner in code[i + 2 : close]:
                    if inner.string in "([{" and inner.type == tokenize.OP:
                        depth += 1
                    elif inner.string in ")]}" and inner.type == tokenize.OP:
                        depth -= 1
                    elif depth == 0 and inner.type == tokenize.NAME and inner.string == "as":
                        found.append((9, f"line {token.start[0]}: context managers in parentheses"))
                        break
    return found


def _starts_statement(code, i):
    return i == 0 or code[i - 1].type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)


def _plain_decorator(code, i):
    """A dotted name, optionally called once, then the end of the line (the 3.8 grammar)."""
    if i >= len(code) or code[i].type != tokenize.NAME:
        return False
    i += 1
    while i + 1 < len(code) and code[i].string == "." and code[i + 1].type == tokenize.NAME:
        i += 2
    if i < len(code) and code[i].string == "(":
        close = _matching(code, i)
        if close is None:
            return False
        i = close + 1
    return i < len(code) and code[i].type == tokenize.NEWLINE


def _matching(code, i):
    depth = 0
    for j in range(i, len(code)):
        if code[j].type != tokenize.OP:
            continue
        if code[j].string in "([{":
            depth += 1
        elif code[j].string in ")]}":
            depth -= 1
            if depth == 0:
                return j
    return None


class _TreeChecks:
    """Constructs read from the tree (with the source, to tell parenthesised ones apart). Iterative: a
    tree thousands of levels deep (`1+1+...+1`) compiles, and must not exhaust Python's recursion limit."""

    def __init__(self, source):
        self.source = source
        self.lines = source.split("\n")
        self.found = []

    def run(self, tree):
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child._semiverse_parent = node
        for node in ast.walk(tree):
            check = getattr(self, "check_" + type(node).__name__, None)
            if check is not None:
                check(node)
        return self.found

    def add(self, minor, node, what):
        self.found.append((minor, f"line {getattr(node, 'lineno', '?')}: {what}"))

    def check_For(self, node):
        if isinstance(node.iter, ast.Tuple) and _has_star(node.iter) and not self.parenthesised(node.iter):
            self.add(9, node, "unparenthesised starred tuple after `for ... in`")

    check_AsyncFor = check_For

    def check_NamedExpr(self, node):
        if self.parenthesised(node):
            return
        parent = getattr(node, "_semiverse_parent", None)
        if isinstance(parent, (ast.Set, ast.SetComp)):
            self.add(9, node, "unparenthesised assignment expression in a set")
        subscript = parent if isinstance(parent, ast.Subscript) and parent.slice is node else None
        if isinstance(parent, ast.Tuple) and not self.parenthesised(parent):
            grand = getattr(parent, "_semiverse_parent", None)
            subscript = grand if isinstance(grand, ast.Subscript) and grand.slice is parent else None
        if subscript is not None:
            self.add(10, node, "unparenthesised assignment expression as a subscript")

    def check_Subscript(self, node):
        index = node.slice
        if isinstance(index, ast.Starred) or (
            isinstance(index, ast.Tuple) and _has_star(index) and not self.parenthesised(index)
        ):
            self.add(11, node, "star expression in a subscript (PEP 646)")

    def check_arguments(self, node):
        if node.vararg is not None and isinstance(node.vararg.annotation, ast.Starred):
            self.add(11, node.vararg, "`*args: *Ts` (PEP 646)")

    def check_ListComp(self, node):
        # Before 3.11 an asynchronous list/set/dict comprehension had to sit directly in an async function
        # (or in an asynchronous comprehension): in a plain comprehension's scope it was an error.
        if not _own_async(node):
            return
        scope = _enclosing_scope(node)
        if isinstance(scope, _COMPREHENSIONS) and not _own_async(scope):
            self.add(11, node, "asynchronous comprehension inside a comprehension that is not asynchronous")

    check_SetComp = check_DictComp = check_ListComp

    def parenthesised(self, node):
        """Whether the node's source is wrapped in parentheses of its own."""
        if isinstance(node, ast.Tuple):
            # A parenthesised tuple's position includes its parentheses.
            segment = ast.get_source_segment(self.source, node)
            return segment is not None and segment.startswith("(") and _encloses(segment)
        # Other nodes' positions exclude their parentheses: look just before the node.
        line = self.lines[node.lineno - 1].encode()[: node.col_offset].decode(errors="replace")
        before = ("\n".join(self.lines[: node.lineno - 1]) + "\n" + line).rstrip()
        return before.endswith("(")


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module) + _COMPREHENSIONS


def _has_star(tuple_node):
    return any(isinstance(element, ast.Starred) for element in tuple_node.elts)


def _encloses(segment):
    """Whether the `(` that starts `segment` closes at its very end."""
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(segment).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
                if depth == 0:
                    return token.end == (len(segment.splitlines()), len(segment.splitlines()[-1]))
    except (SyntaxError, tokenize.TokenError):
        return False
    return False


def _enclosing_scope(node):
    """The scope a node is evaluated in (a comprehension's first iterable belongs to the scope around it)."""
    path = [node]
    parent = getattr(node, "_semiverse_parent", None)
    while parent is not None:
        if isinstance(parent, _COMPREHENSIONS):
            first = parent.generators[0]
            in_first_iter = len(path) >= 2 and path[-1] is first and path[-2] is first.iter
            if not in_first_iter:
                return parent
        elif isinstance(parent, _SCOPES):
            return parent
        path.append(parent)
        parent = getattr(parent, "_semiverse_parent", None)
    return None


def _own_async(comprehension):
    """`async for` in the comprehension, or `await` in its own scope."""
    if any(generator.is_async for generator in comprehension.generators):
        return True
    own = [comprehension.generators[0].target, *comprehension.generators[0].ifs]
    for generator in comprehension.generators[1:]:
        own += [generator.target, generator.iter, *generator.ifs]
    own += [getattr(comprehension, name) for name in ("elt", "key", "value") if hasattr(comprehension, name)]
    stack = list(own)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Await):
            return True
        if isinstance(node, _COMPREHENSIONS):
            stack.append(node.generators[0].iter)  # evaluated here; the rest is its own scope
            continue
        if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


# --- f-strings (PEP 701) -------------------------------------------------------------------------------


def _fstring_checks(source, tokens):
    """Every f-string that the 3.8-3.11 tokenizer or f-string parser would reject."""
    found = []
    offsets = [0]
    for line in source.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    opened = []
    for token in tokens:
        if token.type == tokenize.FSTRING_START:
            opened.append(token.start)
        elif token.type == tokenize.FSTRING_END and opened:
            (row, col), (end_row, end_col) = opened.pop(), token.end
            literal = source[offsets[row - 1] + col : offsets[end_row - 1] + end_col]
            problem = _old_fstring_problem(literal)
            if problem:
                found.append((12, f"line {row}: f-string {problem} (PEP 701)"))
    return found


class _Rejected(Exception):
    pass


def _old_fstring_problem(literal):
    """Why Python 3.11 would reject this f-string literal, or None."""
    prefix_length = len(literal) - len(literal.lstrip("rRfFbBuU"))
    prefix, rest = literal[:prefix_length], literal[prefix_length:]
    quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
    # The old tokenizer: the literal ends at the first unescaped closing quote; a raw newline ends a
    # single-quoted one.
    i = len(quote)
    while i < len(rest):
        char = rest[i]
        if char == "\\":
            i += 2
            continue
        if rest.startswith(quote, i):
            break
        if len(quote) == 1 and char == "\n":
            return "with a line break inside a single-quoted string"
        i += 1
    if i + len(quote) != len(rest):
        return "reusing its own quotes inside"
    try:
        _old_body(rest[len(quote) : i], 0, "r" in prefix.lower())
    except _Rejected as why:
        return str(why)
    return None


def _old_body(body, level, raw):
    """Python 3.11's f-string parser over a body (or a format spec at `level` > 0): literal text with
    `{{`/`}}` escapes and replacement fields."""
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and not raw:
            # As 3.11 read escapes: `\N{...}` holds braces that start no field; `\{` is a brace.
            if body.startswith("N{", i + 1):
                close = body.find("}", i)
                i = len(body) if close < 0 else close + 1
            else:
                i += 1 if body[i + 1 : i + 2] in ("{", "}") else 2
        elif char == "{":
            if level == 0 and body.startswith("{", i + 1):
                i += 2
            else:
                i = _old_field(body, i + 1, level)
        elif char == "}" and level == 0 and body.startswith("}", i + 1):
            i += 2
        else:
            i += 1


def _old_field(body, i, level):
    """One replacement field from after its `{`; returns the index after its `}`."""
    if level >= 2:
        raise _Rejected("with format specs nested too deeply")
    start, nesting, quote = i, [], None
    while i < len(body):
        char = body[i]
        if char == "\\":
            raise _Rejected("with a backslash in a replacement field")
        if quote:
            if body.startswith(quote, i):
                i += len(quote)
                quote = None
            else:
                i += 1
            continue
        if char in "'\"":
            quote = char * 3 if body.startswith(char * 3, i) else char
            i += len(quote)
            continue
        if char == "#":
            raise _Rejected("with a comment in a replacement field")
        if char in "([{":
            nesting.append(char)
        elif char in ")]}" and nesting:
            nesting.pop()
        elif not nesting and (char in "}:" or (char == "!" and not body.startswith("=", i + 1))):
            break
        elif not nesting and char == "=" and body[i + 1 : i + 2] != "=" and body[i - 1 : i] not in ("=", "!", "<", ">"):
            after = body[i + 1 :].lstrip()
            if after[:1] in ("}", "!", ":"):
                i = len(body) - len(after)
                break
        i += 1
    if i >= len(body):
        raise _Rejected("that Python 3.11 cannot parse")
    if body[i] == "!":
        i += 2
    if i < len(body) and body[i] == ":":
        i += 1
        while i < len(body) and body[i] != "}":
            if body[i] == "{":
                i = _old_field(body, i + 1, level + 1)
            else:
                i += 1
    if i >= len(body) or body[i] != "}":
        raise _Rejected("that Python 3.11 cannot parse")
    return i + 1
