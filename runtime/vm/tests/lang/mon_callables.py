# What sys.monitoring hands CALL/C_RETURN/C_RAISE as the callable, and what the program sees
# of it: `[].append(6)` loads the method as an unbound method_descriptor (arg0 = the list),
# a functools.partial instance has no __qualname__, and a generator dropped while suspended
# is closed where the last reference goes (PY_THROW ... PY_UNWIND before the next line), and
# a generator's exception leaving a C method (throw, next) is raised at the caller's CALL.
import functools
import sys
import types

M = sys.monitoring
E = M.events
M.use_tool_id(0, "t")


def name(c):
    qn = getattr(c, "__qualname__", None)
    return type(c).__name__ + ":" + str(qn)


def on_call(code, off, c, a0):
    if code.co_name == "main":
        print("CALL", name(c), "arg0", repr(a0) if isinstance(a0, list) else type(a0).__name__)


def on_c(code, off, c, a0):
    if code.co_name == "main":
        print("C_END", name(c))


def on_ev(label):
    def cb(code, off, *rest):
        if code.co_name in ("g", "main"):
            print(label, code.co_name, off, *[type(r).__name__ for r in rest])
    return cb


M.register_callback(0, E.CALL, on_call)
M.register_callback(0, E.C_RETURN, on_c)
M.register_callback(0, E.C_RAISE, on_c)
for ev in ("PY_THROW", "RAISE", "RERAISE", "EXCEPTION_HANDLED", "PY_UNWIND"):
    M.register_callback(0, getattr(E, ev), on_ev(ev))


def g():
    try:
        yield 1
        yield 2
    except KeyError:
        yield 3


def sq(x):
    return x * x


def main():
    L = []
    L.append(7)
    [].append(6)
    p = functools.partial(sq, 3)
    p()
    it = g()
    next(it)
    del it
    print("after del")
    it2 = g()
    next(it2)
    try:
        it2.throw(ValueError("v"))
    except ValueError:
        pass
    print("done", L)


M.set_events(0, E.CALL | E.C_RETURN | E.C_RAISE | E.PY_THROW | E.RAISE | E.RERAISE
             | E.EXCEPTION_HANDLED | E.PY_UNWIND)
main()
M.set_events(0, 0)


def main2():
    it3 = g()
    next(it3)
    try:
        it3.throw(ValueError("w"))
    except ValueError:
        pass
    it4 = g()
    try:
        list(map(sq, [1, "x"]))
    except TypeError:
        pass
    print("main2 done")


# Without CALL (no C_RAISE marks the call): RAISE in main2 is still at the CALL's last unit.
M.register_callback(0, E.RAISE, lambda code, off, exc: print("RAISE", code.co_name, off)
                    if code.co_name == "main2" else None)
M.set_events(0, E.RAISE)
main2()
M.set_events(0, 0)

# The descriptor itself, outside monitoring.
print(type(list.append).__name__, type([].append).__name__, list.append.__qualname__)
print(isinstance(list.append, types.BuiltinFunctionType),
      isinstance(list.append, types.MethodDescriptorType),
      isinstance([].append, types.BuiltinFunctionType))
L = []
list.append(L, 7)
print(L, repr(list.append))
print(type(dict.fromkeys).__name__, type(len).__name__, type(str.maketrans).__name__)


class A:
    pass


print(getattr(A(), "__qualname__", None), getattr(A(), "__name__", None), A.__qualname__)
print(getattr(functools.partial(sq, 1), "__qualname__", None))
