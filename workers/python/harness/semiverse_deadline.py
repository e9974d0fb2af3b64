"""A time budget per case, enforced inside Python: a case that runs past it raises CaseDeadline in the
program's own code, and the next case gets its own budget. Without it, one input that loops forever costs
the pool's time limit on the whole batch and a worker restart, then the batch is split and run again to find
it (seconds each in a browser); with it, the loop costs its budget and the batch goes on.

The budget adapts to the function: `slow_factor` × the median time of the cases that ran so far (the oracle
drops cases that slow anyway), at least `floor_s`, at most `max_s`. Only frames of the program
(`filename`) are traced, so the harness itself is never stopped half-way. A loop of Python lines stops
within a line of its budget; a long C call does not: the pool's own limit on the whole call is the
backstop for that. Tracing costs the program's code some speed, the same for every case.
"""

import sys

from semiverse_coverage import FILENAME


class CaseDeadline(Exception):
    """Raised inside the code under test when its case ran past its budget."""


class Deadline:
    def __init__(self, clock, max_s, slow_factor=None, floor_s=0.05, filename=FILENAME):
        self.clock = clock
        self.max_s = max_s
        self.slow_factor = slow_factor
        self.floor_s = floor_s
        self.filename = filename
        self.limit = None
        self.started = None
        self.hit = False
        self.times = []  # of the cases that finished within their budget: a hanging one says nothing

    def budget(self):
        if self.slow_factor is None or not self.times:
            return self.max_s
        ordered = sorted(self.times)
        median = ordered[len(ordered) // 2]
        return min(self.max_s, max(self.floor_s, self.slow_factor * median))

    def restart(self):
        """Called just before each case: the last case's time counts, the next one's budget starts."""
        now = self.clock()
        if self.started is not None and not self.hit:
            self.times.append(now - self.started)
        self.started = now
        self.hit = False
        self.limit = now + self.budget()
        # CPython unsets a trace function that raised (as after a case that ran out of time): set it again.
        sys.settrace(self.trace)

    def trace(self, frame, event, arg):
        if frame.f_code.co_filename != self.filename:
            return None
        if self.limit is not None and self.clock() > self.limit:
            self.hit = True
            raise CaseDeadline(f"ran past {self.budget() * 1000:.0f} ms")
        return self.trace
