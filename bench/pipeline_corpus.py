"""What a competent model would answer for each benchmark task, read from the task itself (bench/pipelineCorpus.ts).

Input (the global JOBS, a JSON text): a list of {"program", "tests", "callee", "entry", "text"}: `callee` is the name
the tests call (HumanEval's "candidate") or null (MBPP: the first function of the program the tests call), `entry`
the entry point or null (then the callee), `text` the task text or null (then the docstring).
Output (the value of the last expression, a JSON text): per job, null when the task is left out, else
{"entryPoint", "description", "cases", "defs", "params"}:
- `cases`: the literal positional arguments of the calls in the tests and in the docstring's examples, as source
  text (calls with a non-literal or keyword argument are left out), deduplicated;
- `description`: the task text (MBPP) or the entry point's docstring up to its examples (HumanEval);
- `defs`: how many functions the program defines at its top level (a task with helpers is left out by the caller:
  the scripted model only knows the answers about the entry point);
- `params`: the entry point's parameters as written (annotations included).
"""

import ast
import json
import re
import warnings

warnings.simplefilter("ignore")  # MBPP's code has escapes such as '\w' in plain strings


def literal(node):
    try:
        ast.literal_eval(node)
        return True
    except Exception:
        return False


def calls_in(source, names):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names):
            continue
        if node.keywords or any(isinstance(a, ast.Starred) or not literal(a) for a in node.args) or not node.args:
            continue
        found.append((node.lineno, node.col_offset, [ast.get_source_segment(source, a) for a in node.args]))
    return [args for _, _, args in sorted(found)]


def examples(docstring):
    """The `>>> call(...)` lines of a docstring, as one source text."""
    return "\n".join(line.strip()[4:] for line in (docstring or "").splitlines() if line.strip().startswith(">>> "))


def description(docstring):
    """The docstring's prose up to its examples, on one line per paragraph."""
    kept = []
    for line in (docstring or "").splitlines():
        text = line.strip()
        if text.startswith(">>>") or re.match(r"(?i)^(for )?examples?\b", text):
            break
        kept.append(text)
    paragraphs = re.split(r"\n\s*\n", "\n".join(kept).strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def task(job):
    try:
        tree = ast.parse(job["program"])
    except SyntaxError:
        return None
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    callee = job["callee"]
    if callee is None:
        named = [n for n in ast.walk(ast.parse(job["tests"])) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
        callee = next((c.func.id for c in sorted(named, key=lambda c: (c.lineno, c.col_offset)) if c.func.id in defs), None)
        if callee is None:
            return None
    entry = job["entry"] or callee
    if entry not in defs:
        return None
    doc = ast.get_docstring(defs[entry])
    cases, seen = [], set()
    for args in calls_in(job["tests"], {callee}) + calls_in(examples(doc), {entry}):
        key = json.dumps(args)
        if key not in seen:
            seen.add(key)
            cases.append(args)
    text = job["text"] or description(doc)
    params = ast.unparse(defs[entry].args)
    return {"entryPoint": entry, "description": text, "cases": cases, "defs": len(defs), "params": params}


json.dumps([task(job) for job in json.loads(JOBS)])
