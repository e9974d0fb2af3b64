"""The dedup bench's real functions: every function of this python3's standard library, normalised by the
app's own harness (workers/python/harness/semiverse_normalise.py: its AST hash and its token sequence), as
the app would store them for a folder holding that library.

Usage: python3 bench/dedup_corpus.py OUT.json
Writes {"python", "stdlib", "files", "unparsed", "functions": [{"name", "hash", "tokens"}]}, in path order
and, within a file, in line order (the order the app hands functions to dedup).
"""

import ast
import json
import os
import sys
import sysconfig

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "workers", "python", "harness"))
from semiverse_normalise import normalise  # noqa: E402

_SKIPPED_DIRS = {"site-packages", "__pycache__", "dist-packages"}


def main(out_path):
    stdlib = sysconfig.get_paths()["stdlib"]
    paths = []
    for root, dirs, files in os.walk(stdlib):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        paths.extend(os.path.join(root, name) for name in sorted(files) if name.endswith(".py"))
    paths.sort(key=lambda p: os.path.relpath(p, stdlib))
    functions = []
    unparsed = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            tree = ast.parse(text)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            unparsed += 1
            continue
        linenos = sorted(
            {node.lineno for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        )
        if not linenos:
            continue
        reply = normalise(text, linenos)
        if not reply["ok"]:
            unparsed += 1
            continue
        rel = os.path.relpath(path, stdlib)
        for lineno, fn in zip(linenos, reply["functions"]):
            if fn is not None:
                functions.append({"name": f"{rel}:{lineno}", "hash": fn["hash"], "tokens": fn["tokens"]})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "python": sys.version.split()[0],
                "stdlib": stdlib,
                "files": len(paths),
                "unparsed": unparsed,
                "functions": functions,
            },
            f,
        )


if __name__ == "__main__":
    main(sys.argv[1])
