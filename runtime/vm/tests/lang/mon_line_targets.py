# LINE events at jump targets that share their line with every way in (the end of `and` /
# `or`, conditional expressions, one-line loops and comprehensions, `while` heads, `try`
# bodies on one line): vigil leaves such targets uninstrumented, which must not change one
# event against CPython, with LINE kept on (no DISABLE) and with DISABLE answered.
import sys

M = sys.monitoring
E = M.events
TOOL = 4
log = []


def keep(code, line):
    log.append((code.co_name, line - first))


def drop(code, line):
    log.append((code.co_name, line - first))
    return M.DISABLE


def shapes(a, b, xs):
    t = a and b or not a
    u = (a if b else len(xs)) if xs else 0
    s = 0
    for x in xs: s += x if x > 1 else -x
    k = 0
    while k < 3 and a: k += 1
    while k < 6:
        k += 1 if b else 2
    v = [y for y in xs if y and a] or [0]
    try: w = xs[5] if len(xs) > 5 else xs[9]
    except IndexError: w = -1
    if a or (b and
             s > 2):
        t = not t
    return t, u, s, k, v, w


def gen(xs):
    for x in xs: yield x or -1


first = shapes.__code__.co_firstlineno
M.use_tool_id(TOOL, "targets")
for cb in (keep, drop):
    M.register_callback(TOOL, E.LINE, cb)
    M.set_events(TOOL, E.LINE)
    for args in ((1, 0, [0, 1, 2, 3]), (0, 1, []), (1, 1, [5, 0, 7, 1, 2, 9, 4]), (0, 0, [1])):
        print(shapes(*args), list(gen(args[2])))
    M.set_events(TOOL, 0)
    M.restart_events()
    print(cb.__name__, len(log))
    for entry in log:
        print(*entry)
    log.clear()
M.free_tool_id(TOOL)
