# sys.monitoring callbacks receive CPython's byte offsets (inline caches and EXTENDED_ARG
# prefixes counted), and co_lines()/co_positions() use the same units. (The INSTRUCTION
# events CPython fires for EXTENDED_ARG prefixes are mon_extended_arg.py's subject.)
import dis
import sys

M = sys.monitoring
E = M.events
TOOL = 3
log = []


def h(y):
    return y


def f(x):
    a = x + 1
    if a > 2:
        a = h(a)
    else:
        a = -a
    for i in range(2):
        a += i
    return a


def gen(n):
    for i in range(n):
        yield i


def raiser(x):
    try:
        if x:
            raise ValueError(x)
    except ValueError:
        return 1
    return 0


def unwinder():
    try:
        raise KeyError("k")
    finally:
        pass


# Over 256 constants and names: EXTENDED_ARG prefixes before LOAD_CONST/LOAD_GLOBAL.
big_src = ["def big(x):", "    t = 0"]
for k in range(270):
    big_src.append(f"    t += {1000 + k}")
big_src.append("    if x:")
big_src.append("        t += len([x])")
big_src.append("    return t")
exec("\n".join(big_src))

watched = {f.__code__, gen.__code__, raiser.__code__, unwinder.__code__, big.__code__}
names = {v: k for k, v in E.__dict__.items() if isinstance(v, int) and v and not v & (v - 1)}


def make(ev):
    def cb(code, off, *rest):
        if code in watched and not (ev == E.LINE and code.co_name == "big"):
            shown = [r for r in rest if isinstance(r, int)]
            log.append((code.co_name, names[ev], off, *shown))
    return cb


EVENTS = [
    E.PY_START, E.PY_RESUME, E.PY_RETURN, E.PY_YIELD, E.CALL, E.LINE, E.JUMP, E.BRANCH,
    E.RAISE, E.RERAISE, E.EXCEPTION_HANDLED, E.PY_UNWIND, E.STOP_ITERATION,
]
M.use_tool_id(TOOL, "offsets")
for ev in EVENTS + [E.INSTRUCTION]:
    M.register_callback(TOOL, ev, make(ev))
mask = 0
for ev in EVENTS:
    mask |= ev
M.set_events(TOOL, mask)
f(5)
f(0)
list(gen(2))
raiser(1)
raiser(0)
try:
    unwinder()
except KeyError:
    pass
big(1)
M.set_events(TOOL, 0)
for row in log:
    print(*row)

log.clear()
M.set_local_events(TOOL, f.__code__, E.INSTRUCTION)
f(5)
M.set_local_events(TOOL, f.__code__, 0)
M.free_tool_id(TOOL)
print([r[2] for r in log if r[0] == "f"])

print([(i.offset, i.opname) for i in dis.get_instructions(f)])
for fn in (f, gen, raiser, unwinder, big):
    c = fn.__code__
    print(fn.__name__, list(c.co_lines())[:12])
    pos = list(c.co_positions())
    print(fn.__name__, len(pos), list(c.co_lines())[-1][1] // 2, pos[:3])
