# LINE events at line starts that follow a return, a raise or an unconditional jump: the
# code for an `if` line's false branch after the body's `return` (a generator's trailing
# `if self.right: yield from self.right`), an `else` part after the `if` body's jump. Such a
# start is entered only by its own line's jump, so vigil leaves it uninstrumented; that must
# not change one event against CPython, with LINE kept on (no DISABLE) and with DISABLE.
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
    if a:
        return 1
    if b: s = 2
    else: s = 3
    try:
        if not xs:
            raise ValueError(s)
        k = xs[0]
    except ValueError:
        k = -1
    while s < 5:
        s += 1
        if s == b:
            break
    else:
        k += 10
    return s if k else -s


class Tree:
    def __init__(self, left, value, right):
        self.left, self.value, self.right = left, value, right

    def __iter__(self):
        if self.left:
            yield from self.left
        yield self.value
        if self.right:
            yield from self.right


def tree(lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return Tree(tree(lo, mid), mid, tree(mid + 1, hi))


first = shapes.__code__.co_firstlineno
M.use_tool_id(TOOL, "after-exit")
for cb in (keep, drop):
    M.register_callback(TOOL, E.LINE, cb)
    M.set_events(TOOL, E.LINE)
    for args in ((1, 0, [0]), (0, 1, []), (0, 4, [5, 0]), (0, 0, [1]), (0, 9, [])):
        print(shapes(*args), list(tree(0, args[1] + 3)))
    M.set_events(TOOL, 0)
    M.restart_events()
    print(cb.__name__, len(log))
    for entry in log:
        print(*entry)
    log.clear()
M.free_tool_id(TOOL)
