"""Native CPython baselines for bench/runner.ts: the same jobs the browser pool runs, done the usual ways.

Usage: python3 bench/runner_native.py JOBS.json  (written by bench/runner.ts) -> one JSON object on stdout.

JOBS.json: {"call": {"program", "tests"}, "calls": N, "samples": [{"program", "tests"}, ...], "light": [indices
into samples], "reps": R, "processes": P}. Every job's source is `program + "\n\n" + "\n".join(tests)`, as the
harness composes it. `light` is the samples without the one that takes most of the time (see runner.ts).

Figures in seconds: in-process ones are the median of R timed repetitions after one untimed one; a process
per sample is one timed pass (seconds each, and the OS's file cache is warm from the in-process passes):
- in-process, harness: the app's own entry point, semiverse_api.run_tests(json) from workers/python/harness
  (JSON in and out, the per-run sandbox hygiene, capture, compile, exec), in this one process;
- in-process, bare: exec(source, fresh dict), nothing else;
- process per sample: `python3 -` with the source on stdin, a fresh interpreter each (subprocess), one at a
  time and P at a time; a forked child per sample (multiprocessing, as EvalPlus runs a sample), one at a
  time and P at a time; and human-eval's way, a forked child plus a multiprocessing.Manager (a server
  process) per sample, P at a time (its n_workers threads). The P-at-a-time ones also on `light`.
Each figure also counts how many samples passed, so the work can be checked to be the same.
"""

import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "workers", "python", "harness"))

import semiverse_api  # noqa: E402  (the harness, from the path above)
import semiverse_sandbox  # noqa: E402


def _private_folders():
    """The harness's file hygiene removes whatever a run leaves in /tmp and $HOME. In Pyodide those are the
    interpreter's own in-memory folders; here they are the machine's, shared with everything else running
    on it. So point the hygiene at a private temporary folder laid out the same way (a fresh working
    directory inside a watched "tmp"), and refuse to run the harness if it watches anything else."""
    private = tempfile.mkdtemp(prefix="semiverse-bench-harness-")
    tmp, home = os.path.join(private, "tmp"), os.path.join(private, "home")
    os.makedirs(tmp)
    os.makedirs(home)
    snapshot = getattr(semiverse_sandbox, "_snapshot", None)
    if snapshot is not None and hasattr(snapshot, "files"):
        snapshot.files = {tmp: set(), home: set()}
    if hasattr(semiverse_sandbox, "_WORK_ROOT"):
        semiverse_sandbox._WORK_ROOT = os.path.join(tmp, "semiverse-run")
    watched = list(getattr(snapshot, "files", {})) + [getattr(semiverse_sandbox, "_WORK_ROOT", private)]
    if not all(os.path.commonpath([private, path]) == private for path in watched):
        raise RuntimeError(f"the harness watches folders outside {private}: {watched}; not running it here")
    return private


PRIVATE = _private_folders()

# Generous: the slowest reference solution (MBPP 123) takes about 3 s; this only stops a pathology.
SAMPLE_TIMEOUT_S = 60


def source(job):
    return job["program"] + "\n\n" + "\n".join(job["tests"]) + "\n"


def timed(run, reps, warm_up=True):
    """Median seconds of `reps` runs (after one untimed run when `warm_up`), and how many samples passed."""
    if warm_up:
        run()
    times, passed = [], set()
    for _ in range(reps):
        start = time.perf_counter()
        passed.add(run())
        times.append(time.perf_counter() - start)
    if len(passed) != 1:
        raise RuntimeError(f"repetitions disagree on how many samples passed: {sorted(passed)}")
    return {"seconds": statistics.median(times), "passed": passed.pop()}


def harness_loop(jobs):
    requests = [json.dumps(job) for job in jobs]
    return lambda: sum(json.loads(semiverse_api.run_tests(r))["status"] == "passed" for r in requests)


def bare_exec(src):
    try:
        exec(src, {"__name__": "__main__"})
    except Exception:
        return False
    return True


def bare_loop(sources):
    return lambda: sum(bare_exec(src) for src in sources)


def in_subprocess(src):
    try:
        done = subprocess.run(
            [sys.executable, "-"], input=src.encode(), capture_output=True, timeout=SAMPLE_TIMEOUT_S, cwd="/tmp"
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def _child(src):
    # A forked child: exit status is the verdict. Output is discarded, as the peer harnesses do.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os._exit(0 if bare_exec(src) else 1)


def in_fork(src):
    child = multiprocessing.get_context("fork").Process(target=_child, args=(src,))
    child.start()
    child.join(SAMPLE_TIMEOUT_S)
    if child.is_alive():
        child.kill()
        child.join()
        return False
    return child.exitcode == 0


def _managed_child(src, result):
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if bare_exec(src):
        result.append("passed")


def in_managed_fork(src):
    """human-eval's check_correctness: a Manager (its own server process) and a forked child per sample."""
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager:
        result = manager.list()
        child = context.Process(target=_managed_child, args=(src, result))
        child.start()
        child.join(SAMPLE_TIMEOUT_S)
        if child.is_alive():
            child.kill()
            child.join()
        return len(result) == 1


def per_process(run_one, sources, parallel):
    if parallel == 1:
        return lambda: sum(run_one(src) for src in sources)

    def run():
        with ThreadPoolExecutor(parallel) as pool:
            return sum(pool.map(run_one, sources))

    return run


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    reps, processes = spec["reps"], spec["processes"]
    calls = [spec["call"]] * spec["calls"]
    samples = spec["samples"]
    sample_sources = [source(job) for job in samples]
    light = [samples[i] for i in spec["light"]]
    light_sources = [source(job) for job in light]
    result = {
        "python": platform.python_version(),
        "calls": {
            "harness": timed(harness_loop(calls), reps),
            "bare": timed(bare_loop([source(job) for job in calls]), reps),
        },
        "samples": {
            "harness": timed(harness_loop(samples), reps),
            "bare": timed(bare_loop(sample_sources), reps),
            "lightHarness": timed(harness_loop(light), reps),
            "lightBare": timed(bare_loop(light_sources), reps),
            # A process per sample costs seconds per pass: one timed pass each, no warm-up pass.
            "subprocess": timed(per_process(in_subprocess, sample_sources, 1), 1, warm_up=False),
            "subprocessParallel": timed(per_process(in_subprocess, sample_sources, processes), 1, warm_up=False),
            "fork": timed(per_process(in_fork, sample_sources, 1), 1, warm_up=False),
            "forkParallel": timed(per_process(in_fork, sample_sources, processes), 1, warm_up=False),
            "managedForkParallel": timed(per_process(in_managed_fork, sample_sources, processes), 1, warm_up=False),
            "lightSubprocessParallel": timed(per_process(in_subprocess, light_sources, processes), 1, warm_up=False),
            "lightForkParallel": timed(per_process(in_fork, light_sources, processes), 1, warm_up=False),
            "lightManagedForkParallel": timed(per_process(in_managed_fork, light_sources, processes), 1, warm_up=False),
        },
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(PRIVATE, ignore_errors=True)
