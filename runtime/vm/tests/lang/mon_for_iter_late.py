# How a generator's return or raise ends a `for` loop (STOP_ITERATION at END_FOR once CPython
# has specialized the FOR_ITER, nothing or RAISE at the FOR_ITER before) when the tool that
# sees it arrives late: the FOR_ITER's warm-up counts the runs made with no tool, or with
# tools that never look at it, and restarts when the location loses its instrumentation
# (a BRANCH removed, a LINE DISABLEd), whether or not it ran meanwhile. A generator raising
# into the loop is reported one unit before the FOR_ITER only when it ran specialized, which
# a class's `__next__` or a `map` never does.
import sys
mon = sys.monitoring
E = mon.events
T = 4
mon.use_tool_id(T, "probe")
log = []

def on_stop(code, off, val):
    log.append(("STOP", code.co_name, off, val.args))
def on_raise(code, off, exc):
    log.append(("RAISE", code.co_name, off, type(exc).__name__, exc.args))
def on_unwind(code, off, exc):
    log.append(("UNWIND", code.co_name, off, type(exc).__name__))
def on_branch(code, off, dest):
    log.append(("BRANCH", code.co_name))
def on_line(code, line):
    return mon.DISABLE
mon.register_callback(T, E.STOP_ITERATION, on_stop)
mon.register_callback(T, E.RAISE, on_raise)
mon.register_callback(T, E.PY_UNWIND, on_unwind)
mon.register_callback(T, E.BRANCH, on_branch)
mon.register_callback(T, E.LINE, on_line)
mon.register_callback(T, E.PY_START, lambda code, off: None)

def consumer_on():
    mon.set_events(T, E.STOP_ITERATION | E.RAISE)
def consumer_off():
    mon.set_events(T, 0)

def empty():
    return
    yield
def valued():
    return "v"
    yield
def one():
    yield 1
def one_valued():
    yield 1
    return "w"
def two_valued():
    yield 1
    yield 2
    return "h"
def three_valued():
    yield 1
    yield 2
    yield 3
    return "h3"

def show(tag):
    print(tag, log)
    log.clear()

# A: warmed with no tool, then a consumer: the loop's only step is already specialized.
def loop_a(g):
    for x in g:
        pass
for _ in range(3):
    loop_a(one())
consumer_on()
loop_a(empty()); show("A empty")
loop_a(valued()); show("A valued")
consumer_off()

# B: never run before the consumer: the first run is not specialized, the second is.
def loop_b(g):
    for x in g:
        pass
consumer_on()
loop_b(valued()); show("B first")
loop_b(valued()); show("B second")
consumer_off()

# C: the consumer arrives in the loop body, after the first step (past the warm-up).
def loop_c(g):
    for x in g:
        consumer_on()
loop_c(one()); show("C one")
consumer_off()
def loop_c2(g):
    for x in g:
        consumer_on()
loop_c2(one_valued()); show("C one_valued")
consumer_off()

# D, E: the consumer arrives inside the generator during the loop's first step (before the
# warm-up): that step ends unspecialized, the next one specialized.
def enabling_valued():
    consumer_on()
    return "d"
    yield
def loop_d(g):
    for x in g:
        pass
loop_d(enabling_valued()); show("D first step")
consumer_off()
def enabling_one():
    consumer_on()
    yield 1
    return "e"
def loop_e(g):
    for x in g:
        pass
loop_e(enabling_one()); show("E second step")
consumer_off()

# F: BRANCH on the loop's code for one run, then removed: the FOR_ITER warms up again.
def loop_f(g):
    for x in g:
        pass
for _ in range(3):
    loop_f(one())
consumer_on()
mon.set_local_events(T, loop_f.__code__, E.BRANCH)
loop_f(empty()); show("F with branch")
mon.set_local_events(T, loop_f.__code__, 0)
loop_f(valued()); show("F after 1")
loop_f(valued()); show("F after 2")
consumer_off()

# G: BRANCH set and removed without the loop running in between: the warm-up restarts too.
def loop_g(g):
    for x in g:
        pass
for _ in range(3):
    loop_g(one())
consumer_on()
mon.set_local_events(T, loop_g.__code__, E.BRANCH)
mon.set_local_events(T, loop_g.__code__, 0)
loop_g(valued()); show("G after 1")
loop_g(valued()); show("G after 2")
consumer_off()

# H: LINE that DISABLEs everywhere (as a debugger or line coverage does) beside the consumer,
# fresh loops: the FOR_ITER's LINE fires on the second step and is DISABLEd there; that
# step counts as the first plain one.
def loop_h1(g):
    for x in g:
        pass
def loop_h2(g):
    for x in g:
        pass
def loop_h3(g):
    for x in g:
        pass
mon.set_events(T, E.STOP_ITERATION | E.RAISE | E.LINE)
loop_h1(one_valued()); show("H one item")
loop_h2(two_valued()); show("H two items")
loop_h3(three_valued()); show("H three items")
loop_h1(valued()); show("H again")
consumer_off()

# H4: LINE DISABLEd while nothing looks at the loop's end; the consumer comes later.
def loop_h4(g):
    for x in g:
        pass
mon.set_events(T, E.LINE)
loop_h4(one())
loop_h4(empty())
consumer_on()
loop_h4(valued()); show("H4 after line")
consumer_off()
mon.restart_events()

# K: a global event added while the warm loop's code runs leaves its FOR_ITER warm.
def loop_k(g, flip):
    for x in g:
        if flip:
            mon.set_events(T, E.STOP_ITERATION | E.RAISE | E.PY_START)
for _ in range(3):
    loop_k(one(), False)
def k_empty():
    return "k"
    yield
loop_k(one(), True); show("K flip")
loop_k(k_empty(), False); show("K empty")
consumer_off()

# N: generators iterating the same FOR_ITER inside its own first step.
def nest(n):
    if n:
        for x in nest(n - 1):
            yield x
    yield n
    return n
consumer_on()
for v in nest(3):
    pass
show("N fresh")
for v in nest(3):
    pass
show("N again")
consumer_off()

# I: raises into warm loops: a class's __next__, a generator, a map's function.
class It:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        self.n -= 1
        if self.n < 0:
            raise ValueError("it")
        return self.n
def loop_i(it):
    try:
        for x in it:
            pass
    except ValueError:
        pass
for _ in range(3):
    loop_i(It(2))
mon.set_events(T, E.RAISE | E.PY_UNWIND)
loop_i(It(2)); show("I class iterator")
def f(x):
    raise ValueError("m")
loop_i(map(f, [1])); show("I map")
mon.set_events(T, 0)
def raising_gen():
    yield 1
    raise ValueError("g")
def loop_r(it):
    try:
        for x in it:
            pass
    except ValueError:
        pass
for _ in range(3):
    loop_r(one())
mon.set_events(T, E.RAISE | E.PY_UNWIND)
loop_r(raising_gen()); show("R warm")
def raising_first():
    raise ValueError("f")
    yield
def loop_r2(it):
    try:
        for x in it:
            pass
    except ValueError:
        pass
loop_r2(raising_first()); show("R cold")
mon.set_events(T, 0)
mon.free_tool_id(T)
