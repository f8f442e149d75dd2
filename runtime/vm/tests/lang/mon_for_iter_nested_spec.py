# Whether a generator's return ends a `for` loop with STOP_ITERATION (CPython specialized the
# FOR_ITER) or with nothing / RAISE (it did not) is decided by that loop's own FOR_ITER, even
# when the generator's last run iterated other generators whose FOR_ITERs decided otherwise.
# Here `main`'s loop carries local BRANCH events (never specialized) while the loops inside
# `outer` and `deep` are warm and plain (specialized); `deep` returns a value, and `raising`
# raises after its inner loop (a raise into a FOR_ITER is reported at an offset that depends
# on the same decision).
import sys
mon = sys.monitoring
E = mon.events
T = 3
mon.use_tool_id(T, "probe")
log = []

def inner():
    yield 1
    yield 2

def outer():
    for x in inner():
        yield x

def deep():
    for x in outer():
        yield x
    return "done"

def raising():
    for x in inner():
        yield x
    raise ValueError("boom")

def main_raise():
    try:
        for y in raising():
            pass
    except ValueError:
        return "caught"

def plain_raise():
    try:
        for y in raising():
            pass
    except ValueError:
        return "caught"

def main():
    total = 0
    for y in outer():
        total += y
    return total

def main_deep():
    total = 0
    for y in deep():
        total += y
    return total

def plain_main():
    total = 0
    for y in outer():
        total += y
    return total

def on_stop(code, off, val):
    log.append(("STOP_ITERATION", code.co_name, val))

def on_raise(code, off, exc):
    log.append(("RAISE", code.co_name, off, type(exc).__name__, exc.args))

def on_branch(code, off, dest):
    return None

mon.register_callback(T, E.STOP_ITERATION, on_stop)
mon.register_callback(T, E.RAISE, on_raise)
mon.register_callback(T, E.BRANCH, on_branch)
for _ in range(3):
    main(); main_deep(); plain_main(); main_raise(); plain_raise()  # warm, no tool
mon.set_events(T, E.STOP_ITERATION | E.RAISE)
mon.set_local_events(T, main.__code__, E.BRANCH)
mon.set_local_events(T, main_deep.__code__, E.BRANCH)
mon.set_local_events(T, main_raise.__code__, E.BRANCH)
for i in range(3):
    for f in (main, main_deep, plain_main, main_raise, plain_raise):
        log.clear()
        r = f()
        print(i, f.__name__, r, log)
mon.set_events(T, 0)
mon.set_local_events(T, main.__code__, 0)
mon.set_local_events(T, main_deep.__code__, 0)
mon.set_local_events(T, main_raise.__code__, 0)
mon.free_tool_id(T)
