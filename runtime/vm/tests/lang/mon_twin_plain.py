# Words that carry only their twin (RESUME, returns, yields, calls, END_SEND) fire their events
# from whichever copy of the dispatch loop meets them. A guest tool here asks for exactly those
# events (no LINE/INSTRUCTION overlay), and its callbacks re-instrument the running code
# (set_local_events, restart_events), return DISABLE, or raise; what runs after each is what
# CPython 3.13 runs.
import sys

M = sys.monitoring
E = M.events
TOOL = 4
M.use_tool_id(TOOL, "twins")
log = []


def name_of(code):
    return getattr(code, "co_name", repr(code))


def short(v):
    if callable(v):
        return getattr(v, "__name__", type(v).__name__)
    return repr(v)


def on_start(code, off):
    log.append(("start", name_of(code)))


def on_resume(code, off):
    log.append(("resume", name_of(code)))


def on_return(code, off, v):
    log.append(("return", name_of(code), short(v)))


def on_yield(code, off, v):
    log.append(("yield", name_of(code), short(v)))


def on_call(code, off, f, a):
    log.append(("call", name_of(code), short(f)))


def on_c_return(code, off, f, a):
    log.append(("c_return", name_of(code), short(f)))


def on_c_raise(code, off, f, a):
    log.append(("c_raise", name_of(code), short(f)))


def on_stop(code, off, v):
    log.append(("stop", name_of(code), short(v)))


def on_line(code, line):
    log.append(("line", name_of(code), line - code.co_firstlineno))


TWINS = (
    E.PY_START | E.PY_RESUME | E.PY_RETURN | E.PY_YIELD | E.CALL | E.C_RETURN | E.C_RAISE
    | E.STOP_ITERATION
)
for ev, cb in [
    (E.PY_START, on_start), (E.PY_RESUME, on_resume), (E.PY_RETURN, on_return),
    (E.PY_YIELD, on_yield), (E.CALL, on_call), (E.C_RETURN, on_c_return),
    (E.C_RAISE, on_c_raise), (E.STOP_ITERATION, on_stop), (E.LINE, on_line),
]:
    M.register_callback(TOOL, ev, cb)


def add(a, b=0):
    return a + b


def const():
    return 7


def kw_and_star(*args, **kw):
    return add(*args, **kw) + add(a=1, b=2)


def gen(n):
    for i in range(n):
        yield i
    return "done"


class Base:
    def who(self):
        return "base"


class Child(Base):
    def who(self):
        return "child/" + super().who()


def builtins_mix(xs):
    n = len(xs)
    try:
        int("x")
    except ValueError:
        n += 1
    return max(xs) + n


def delegate():
    r = yield from gen(2)
    return r


def show(title):
    print(title)
    for e in log:
        print("  ", *e)
    log.clear()


M.set_events(TOOL, TWINS)
add(1, 2)
const()
kw_and_star(3, b=4)
list(gen(2))
Child().who()
builtins_mix([3, 1, 2])
list(delegate())
M.set_events(TOOL, 0)
show("all twins")


# A PY_START callback that turns LINE on for its own code: the rest of this very call
# already reports lines.
def grows():
    a = 1
    b = a + 1
    return b


def start_adds_lines(code, off):
    log.append(("start", name_of(code)))
    if code is grows.__code__:
        M.set_local_events(TOOL, code, E.LINE | E.PY_RETURN)


M.register_callback(TOOL, E.PY_START, start_adds_lines)
M.set_events(TOOL, E.PY_START)
grows()
grows()
M.set_events(TOOL, 0)
M.set_local_events(TOOL, grows.__code__, 0)
M.register_callback(TOOL, E.PY_START, on_start)
show("PY_START adds LINE to its own code")


# DISABLE from CALL at one call site; the other site keeps firing.
def call_disable(code, off, f, a):
    log.append(("call", name_of(code), short(f)))
    if short(f) == "const":
        return M.DISABLE


def two_sites():
    x = const()
    y = add(x)
    return const() + y


M.register_callback(TOOL, E.CALL, call_disable)
M.set_events(TOOL, E.CALL)
two_sites()
two_sites()
M.restart_events()
two_sites()
M.set_events(TOOL, 0)
M.register_callback(TOOL, E.CALL, on_call)
show("CALL DISABLE per site, then restart_events")


# restart_events from inside a PY_RETURN callback.
def return_restarts(code, off, v):
    log.append(("return", name_of(code), short(v)))
    if name_of(code) == "add":
        return M.DISABLE
    M.restart_events()


M.register_callback(TOOL, E.PY_RETURN, return_restarts)
M.set_events(TOOL, E.PY_RETURN)
kw_and_star(1)
kw_and_star(2)
M.set_events(TOOL, 0)
M.register_callback(TOOL, E.PY_RETURN, on_return)
show("PY_RETURN DISABLE and restart_events")


# Raising callbacks: the instruction does not run.
class Boom(Exception):
    pass


def raise_on(ev_name):
    def cb(*args):
        log.append((ev_name, name_of(args[0])))
        raise Boom(ev_name)
    return cb


for ev, ev_name, code, body in [
    (E.PY_START, "start", add.__code__, lambda: add(1)),
    (E.PY_RETURN, "return", const.__code__, lambda: const()),
    (E.PY_YIELD, "yield", gen.__code__, lambda: next(gen(3))),
    (E.CALL, "call", builtins_mix.__code__, lambda: builtins_mix([1])),
    (E.C_RETURN, "c_return", builtins_mix.__code__, lambda: builtins_mix([5])),
]:
    M.register_callback(TOOL, ev, raise_on(ev_name))
    # C_RETURN is not set on its own: CALL brings it.
    M.set_local_events(TOOL, code, E.CALL if ev == E.C_RETURN else ev)
    try:
        r = body()
    except Boom as e:
        r = "Boom " + str(e)
    M.set_local_events(TOOL, code, 0)
    M.register_callback(TOOL, E.CALL, on_call)
    log.append(("result", r))
show("callbacks that raise")
M.free_tool_id(TOOL)
