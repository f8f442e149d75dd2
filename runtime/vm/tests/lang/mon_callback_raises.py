# A guest callback that raises: the exception enters the program where CPython 3.13 puts it
# (the callee's start for PY_START, before the instruction for LINE/INSTRUCTION, in the caller
# for CALL, at the return for PY_RETURN, replacing the exception in flight for the exception
# events...), the callback stays registered, and what ran before it is visible.
import sys

M = sys.monitoring
E = M.events
TOOL = 5
M.use_tool_id(TOOL, "raiser")
trail = []


class Boom(Exception):
    pass


def callee(x):
    trail.append("callee body")
    return x + 1


def lines(x):
    trail.append("line 1")
    trail.append("line 2")
    return x


def gen():
    trail.append("gen start")
    yield 1
    trail.append("gen resumed")
    yield 2


def raising():
    try:
        raise KeyError("k")
    except KeyError:
        trail.append("handled")
    return "after"


def reraising():
    try:
        raise KeyError("r")
    finally:
        trail.append("finally")


def unwinding():
    raise KeyError("u")


def for_gen():
    total = 0
    for v in gen():
        total += v
    return total


calls = {"n": 0}


def make(ev, when):
    def cb(*args):
        calls["n"] += 1
        if calls["n"] == when:
            raise Boom(f"{ev} #{when}")
    return cb


def run(name, ev, body, when=1, code=None, mask=0):
    trail.clear()
    calls["n"] = 0
    M.register_callback(TOOL, ev, make(name, when))
    if code is None:
        M.set_events(TOOL, mask or ev)
    else:
        M.set_local_events(TOOL, code, mask or ev)
    try:
        r = body()
        out = f"returned {r!r}"
    except Boom as e:
        ctx = type(e.__context__).__name__ if e.__context__ else None
        out = f"Boom({e}) context={ctx}"
    except BaseException as e:
        out = f"{type(e).__name__}({e})"
    if code is None:
        M.set_events(TOOL, 0)
    else:
        M.set_local_events(TOOL, code, 0)
    M.register_callback(TOOL, ev, None)
    print(f"{name:18} {out:40} trail={trail} calls={calls['n']}")


run("PY_START", E.PY_START, lambda: callee(1), code=callee.__code__)
run("PY_RETURN", E.PY_RETURN, lambda: callee(1), code=callee.__code__)
run("CALL", E.CALL, lambda: lines(callee(1)), code=run.__code__)
run("LINE 1", E.LINE, lambda: lines(5), code=lines.__code__)
run("LINE 2", E.LINE, lambda: lines(5), when=2, code=lines.__code__)
run("INSTRUCTION 3", E.INSTRUCTION, lambda: lines(5), when=3, code=lines.__code__)
run("PY_YIELD", E.PY_YIELD, lambda: list(gen()), code=gen.__code__)
run("PY_RESUME", E.PY_RESUME, lambda: list(gen()), code=gen.__code__)
run("STOP_ITERATION", E.STOP_ITERATION, for_gen, code=for_gen.__code__)
run("RAISE", E.RAISE, raising)
run("EXCEPTION_HANDLED", E.EXCEPTION_HANDLED, raising)
run("RERAISE", E.RERAISE, reraising)
run("PY_UNWIND", E.PY_UNWIND, unwinding)


def c_ret():
    n = len([1, 2])
    trail.append(n)
    return n


def c_raise():
    try:
        return int("x")
    except ValueError:
        trail.append("ValueError caught")
    return "end"


# C_RETURN and C_RAISE follow CALL (CALL has no callback here).
run("C_RETURN", E.C_RETURN, c_ret, mask=E.CALL, code=c_ret.__code__)
run("C_RAISE", E.C_RAISE, c_raise, mask=E.CALL, code=c_raise.__code__)


def thrower():
    g = gen()
    next(g)
    return g.throw(KeyError("t"))


run("PY_THROW", E.PY_THROW, thrower)


# EXCEPTION_HANDLED raising: CPython's unwinder looks for a handler from the instruction
# before the handler, so a handler at the end of its try body sees the new exception too.
def handled_twice():
    try:
        raise KeyError("k")
    except KeyError:
        trail.append("KeyError handler")
    return "after"


def handled_outer():
    try:
        return handled_twice()
    except Boom as e:
        trail.append("outer caught")
        return str(e)


def leaves_try(x):
    try:
        if x:
            raise KeyError(x)
        trail.append("no raise")
    except KeyError:
        trail.append("handler")
    return "end"


run("EXC_HANDLED outer", E.EXCEPTION_HANDLED, handled_outer)
run("EXC_HANDLED 2", E.EXCEPTION_HANDLED, handled_outer, when=2)
run("EXC_HANDLED cold", E.EXCEPTION_HANDLED, lambda: leaves_try(1))
M.free_tool_id(TOOL)
