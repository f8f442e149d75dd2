"""Lists the executable lines of a program that a run never reaches (run under CPython 3.12+).

The benchmark harness (bench/run.py) uses this to place the debugger's "breakpoint that is
never hit": the line must exist (some code object's line table has it) and the program, at
the benchmark size, must never execute it. CPython answers, so the choice does not depend on
vigil being right. It owns nothing else: no timing, no output other than the JSON list.

usage: python3.13 bench/unhit_lines.py script.py [args...]
prints: [[line, qualname, started], ...] sorted by line; `started` says whether the code
object containing the line ran at all (a breakpoint in running code exercises more of the
debugger than one in a function that is never called).
"""
import json
import os
import sys

MON = sys.monitoring
TOOL = 4


def code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_lines"):
            yield from code_objects(const)


def main():
    path = os.path.abspath(sys.argv[1])
    sys.argv = sys.argv[1:]
    with open(path) as f:
        top = compile(f.read(), path, "exec")
    executable = {}
    for code in code_objects(top):
        for _start, _end, line in code.co_lines():
            if line is not None and line > 0:
                executable.setdefault(line, code.co_qualname)
    hit, started = set(), set()

    # DISABLE after the first event keeps the run close to full speed.
    # This script's own lines fire too; only the program's file counts.
    def on_line(code, line):
        if code.co_filename == path:
            hit.add(line)
        return MON.DISABLE

    def on_start(code, offset):
        if code.co_filename == path:
            started.add(code.co_qualname)
        return MON.DISABLE

    MON.use_tool_id(TOOL, "unhit_lines")
    MON.register_callback(TOOL, MON.events.LINE, on_line)
    MON.register_callback(TOOL, MON.events.PY_START, on_start)
    MON.set_events(TOOL, MON.events.LINE | MON.events.PY_START)
    real_stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")
    try:
        exec(top, {"__name__": "__main__", "__file__": path})
    finally:
        MON.set_events(TOOL, 0)
        sys.stdout = real_stdout
    unhit = [[line, q, q in started] for line, q in sorted(executable.items()) if line not in hit]
    print(json.dumps(unhit))


main()
