# A running activation moves between the plain and the traced dispatch loop as its code gains
# and loses instrumented words (events set, DISABLEd, restarted from inside the loop): every
# event CPython delivers must still arrive, and none after DISABLE or set_local_events(0).
import sys

M = sys.monitoring
E = M.events
TOOL = 2
log = []


def line_cb(code, line):
    log.append(("L", code.co_name, line - first))
    return M.DISABLE


def line_keep(code, line):
    log.append(("l", code.co_name, line - first))


def branch_cb(code, src, dst):
    log.append(("B", code.co_name))
    return M.DISABLE


def jump_cb(code, src, dst):
    log.append(("J", code.co_name))


def loop(n):
    total = 0
    for i in range(n):
        if i == 3:
            M.restart_events()
        if i == 6:
            M.set_local_events(TOOL, loop.__code__, E.JUMP)
        if i == 8:
            M.set_local_events(TOOL, loop.__code__, 0)
        if i == 10:
            M.set_local_events(TOOL, loop.__code__, E.LINE | E.BRANCH)
        total += i
    j = 0
    while j < 5:
        j += 1
        if j == 2:
            M.restart_events()
    return total


def gen(n):
    for i in range(n):
        if i == 2:
            M.restart_events()
        yield i


first = loop.__code__.co_firstlineno
M.use_tool_id(TOOL, "switch")
M.register_callback(TOOL, E.LINE, line_cb)
M.register_callback(TOOL, E.BRANCH, branch_cb)
M.register_callback(TOOL, E.JUMP, jump_cb)
M.set_events(TOOL, E.LINE)
print(loop(14))
M.set_events(TOOL, 0)
for entry in log:
    print(*entry)
log.clear()

M.set_local_events(TOOL, gen.__code__, E.LINE | E.BRANCH)
print(sum(gen(5)))
M.set_local_events(TOOL, gen.__code__, 0)
for entry in log:
    print(*entry)
log.clear()

# A callback that keeps LINE on for a few passes, then the code is cleaned from inside.
M.register_callback(TOOL, E.LINE, line_keep)
def spin(n):
    k = 0
    for i in range(n):
        k += i
        if i == 2:
            M.set_local_events(TOOL, spin.__code__, 0)
        if i == 5:
            M.set_local_events(TOOL, spin.__code__, E.LINE)
        if i == 6:
            M.set_local_events(TOOL, spin.__code__, 0)
    return k


first = spin.__code__.co_firstlineno
M.set_local_events(TOOL, spin.__code__, E.LINE)
print(spin(9))
for entry in log:
    print(*entry)
M.free_tool_id(TOOL)
