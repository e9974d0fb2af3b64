"""The lines of one function that each case runs, through sys.monitoring (CPython 3.12 and later).

LINE events are turned on only for the function's own code objects (its body, and the functions,
lambdas and generator expressions defined in it), and each line's event is disabled at its first hit
(the callback returns DISABLE), so a loop costs one event per line per case, not one per iteration.
`sys.monitoring.restart_events()` turns them on again before the next case.

Lines are numbered as in the program's text (the program is compiled as one file named FILENAME). The
executable lines are those of the code objects' line tables, without the first line of the function (its
`def`, or its first decorator): a docstring has no instructions, so it is never among them.
"""

import sys
import types

FILENAME = "<program>"
_MONITORING = getattr(sys, "monitoring", None)
# COVERAGE_ID first; 0 (debugger), 2 (profiler) and 5 (optimizer) are other tools' by convention.
_TOOL_IDS = (1, 3, 4, 0, 2, 5)
_TOOL_NAME = "semiverse-coverage"


def _code_tree(function):
    try:
        target = getattr(function, "__func__", function)
        seen = set()
        while hasattr(target, "__wrapped__") and id(target) not in seen:  # functools.wraps decorators
            seen.add(id(target))
            target = target.__wrapped__
        code = getattr(target, "__code__", None)
    except Exception:  # attributes of the program's objects may raise: then nothing is measured
        return []
    if not isinstance(code, types.CodeType) or code.co_filename != FILENAME:
        return []
    codes, pending = [], [code]
    while pending:
        current = pending.pop()
        codes.append(current)
        pending.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return codes


class LineCoverage:
    """Start once per batch, `next_case()` before each case, `lines()` after it, `stop()` at the end."""

    def __init__(self, function):
        self.codes = _code_tree(function) if _MONITORING is not None else []
        self.tool = None
        self.hits = set()
        self.executable = None
        if self.codes:
            first = self.codes[0]
            lines = {line for code in self.codes for _, _, line in code.co_lines() if line is not None}
            if first.co_name != "<lambda>":  # a lambda's first line is its body
                lines.discard(first.co_firstlineno)
            self.executable = sorted(lines)

    def start(self):
        """Claim a free tool id and watch the function's code; False when none is free."""
        if not self.codes:
            return False
        monitoring = _MONITORING
        for tool in _TOOL_IDS:
            if monitoring.get_tool(tool) is None:
                monitoring.use_tool_id(tool, _TOOL_NAME)
                self.tool = tool
                break
        else:
            self.executable = None
            return False
        monitoring.register_callback(self.tool, monitoring.events.LINE, self._hit)
        for code in self.codes:
            monitoring.set_local_events(self.tool, code, monitoring.events.LINE)
        return True

    def _hit(self, code, line):
        self.hits.add(line)
        return _MONITORING.DISABLE

    def next_case(self):
        self.hits = set()
        if self.tool is not None:
            _MONITORING.restart_events()

    def lines(self):
        """Executable lines hit since next_case(), or None when coverage is not measured."""
        if self.tool is None or self.executable is None:
            return None
        return sorted(self.hits.intersection(self.executable))

    def stop(self):
        if self.tool is None:
            return
        monitoring, tool = _MONITORING, self.tool
        self.tool = None
        try:  # the code under test may have freed or taken the id itself
            for code in self.codes:
                monitoring.set_local_events(tool, code, 0)
            monitoring.register_callback(tool, monitoring.events.LINE, None)
        except ValueError:
            pass
        if monitoring.get_tool(tool) == _TOOL_NAME:
            monitoring.free_tool_id(tool)
