"""The native baseline of bench/run.ts: the app's whole run (ingest, extract, doctests) done by this
machine's CPython, in one process, one function at a time. That is "native CPython doing the same work",
not a tuned parallel pipeline; the app's pool runs several workers at once.

Same work as the browser:
- the same files (the rules of src/core/ingest/: walk.ts, rules.ts, decode.ts);
- the same harness modules (workers/python/harness) extract each file, with the same local module names
  (localModuleNames in src/core/ingest/ingestStage.ts);
- programs composed as composeProgram.ts does, and only the functions decide() in
  src/core/extract/toRows.ts sends to a run are run through semiverse_api.run_doctest (the call the app's
  workers make, isolation before and after included), under the app's 10 s limit.

Left out, on purpose: .gitignore rules (the standard library has none; a corpus that has one gets a note,
since the two sides may then choose different files) and the SHA-256 the app stores per file (not
extraction or doctest work). Symlinked folders are not followed (there are none in the standard library).

Usage: python3 bench/native_pipeline.py FOLDER. Prints one JSON object on stdout (see bench/nativeRun.ts).
"""

import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "workers", "python", "harness")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox", "site-packages"}
MAX_FILE_BYTES = 1024 * 1024  # MAX_FILE_BYTES in src/domain/ingest.ts
LIMIT_S = 10  # DEFAULT_TIMEOUT_MS in src/core/run/runProject.ts
IDENTIFIER = re.compile(r"[A-Za-z_]\w*", re.ASCII)  # JavaScript's \w is ASCII-only
SHEBANG = re.compile(rb"#![^\r\n]*python")


class TimeLimit(KeyboardInterrupt):
    """A KeyboardInterrupt, like the app's interrupt buffer: the harness never swallows one."""


def file_kind(name):
    """'python', 'maybe_script' (no extension: look for a shebang) or None (skipped unread)."""
    dot, leading_dots = name.rfind("."), len(name) - len(name.lstrip("."))
    ext = "" if dot < leading_dots else name[dot:].lower()
    if ext in (".py", ".pyw"):
        return "python"
    return "maybe_script" if ext == "" and not name.startswith(".") else None


def read_source(path, kind):
    """The file's text, or None where the app would skip it (too large, not a script, binary, not UTF-8)."""
    if os.path.getsize(path) > MAX_FILE_BYTES:
        return None
    with open(path, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES or b"\0" in data[:8000]:
        return None
    if kind == "maybe_script" and not SHEBANG.match(data[:256].split(b"\n", 1)[0]):
        return None
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return None


def walk(folder, prefix, files, notes):
    """Append (path, text) for every file the app would accept, depth-first, children sorted by name."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP_DIRS and not os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                    walk(entry.path, path + "/", files, notes)
            elif entry.is_file():
                if entry.name == ".gitignore":
                    notes.append(f"{path}: .gitignore rules are not applied by the native baseline")
                kind = file_kind(entry.name)
                text = read_source(entry.path, kind) if kind else None
                if text is not None:
                    files.append((path, text))
        except OSError:
            continue  # the app skips an unreadable path too


def local_modules(paths):
    names = set()
    for path in paths:
        *folders, name = path.split("/")
        names.update(part for part in [*folders, re.sub(r"\.pyw?$", "", name)] if IDENTIFIER.fullmatch(part))
    return sorted(names)


def compose(text, segments, program):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parts = [segments[i] if isinstance(segments[i], str) else "\n".join(lines[segments[i][0] - 1 : segments[i][1]]) for i in program]
    return "\n\n\n".join(parts) + "\n"


def eligible(fn):
    return bool(fn["examples"]) and fn["doctestError"] is None and fn["program"] is not None and not fn["blockers"]


def extract(files, counts, by_file):
    """The jobs to run: (program, docstring, name) of each eligible function, in path order.
    `by_file` gets each file's function count (None: not parsed), to explain a count the app disagrees on."""
    import semiverse_extract

    local = local_modules([path for path, _ in files])
    jobs = []
    for path, text in sorted(files):
        reply = semiverse_extract.extract_file(path, text, local)
        by_file[path] = len(reply["functions"]) if reply["ok"] else None
        if not reply["ok"]:
            counts["notParsed"] += 1
            continue
        for fn in reply["functions"]:
            counts["functions"] += 1
            counts["withDoctests"] += bool(fn["examples"])
            if eligible(fn):
                jobs.append((compose(text, reply["segments"], fn["program"]), fn["docstring"], fn["name"]))
    return jobs


def on_alarm(_signum, _frame):
    raise TimeLimit()


def run_one(job):
    import semiverse_api

    program, docstring, name = job
    request = json.dumps({"program": program, "docstring": docstring, "name": name})
    signal.signal(signal.SIGALRM, on_alarm)  # again each time: a doctest may have replaced it
    signal.setitimer(signal.ITIMER_REAL, LIMIT_S)
    try:
        return json.loads(semiverse_api.run_doctest(request))["status"]
    except TimeLimit:
        return "timeout"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main(root):
    # The JSON goes to a copy of stdout; fd 1 itself goes to /dev/null, so that doctests writing to it
    # directly (os.write, subprocesses) cannot garble the reply.
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    # Doctests run with their files (if they write any) in a scratch folder (the harness also gives each run
    # a private working directory of its own when run natively).
    scratch = tempfile.mkdtemp(prefix="semiverse-native-")
    os.chdir(scratch)
    sys.path.insert(0, HARNESS)
    sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree (.gitignore does not cover it)

    started = time.perf_counter()
    files, notes = [], []
    walk(root, "", files, notes)
    counts = {"files": len(files), "notParsed": 0, "functions": 0, "withDoctests": 0}
    by_file = {}
    jobs = extract(files, counts, by_file)
    extracted = time.perf_counter()
    statuses = [run_one(job) for job in jobs]
    finished = time.perf_counter()

    counts.update(
        doctestsRun=len(statuses),
        passed=statuses.count("passed"),
        timedOut=statuses.count("timeout"),
        seconds=round(finished - started, 2),
        extractSeconds=round(extracted - started, 2),
        verifySeconds=round(finished - extracted, 2),
        python=sys.version.split()[0],
        notes=notes[:5],
        functionsByFile=by_file,
    )
    reply.write(json.dumps(counts) + "\n")
    reply.flush()
    shutil.rmtree(scratch, ignore_errors=True)
    os._exit(0)  # a doctest may have left a non-daemon thread running: do not wait for it


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: native_pipeline.py FOLDER")
    main(os.path.abspath(sys.argv[1]))
