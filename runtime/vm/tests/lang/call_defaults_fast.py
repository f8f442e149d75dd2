# Positional calls of plain-positional functions that leave parameters to their defaults
# (the fast path that clones defaults straight into the new frame): functions, bound
# methods, bound method objects, closures, recursion, generators, defaults changed or
# removed after the def, mutable defaults, too few arguments for the defaults (CPython's
# error texts), and the frames and tracebacks such calls leave. Expected output from
# CPython 3.13.
import sys


def f(a, b=1, c=[]):
    c.append(a)
    return (a, b, len(c))


def show(label, fn):
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError:", e)


print(f(1), f(2, 3), f(4, 5, []), f(6))
print(f.__defaults__[1])


class C:
    def __init__(self, v=10):
        self.v = v

    def m(self, x, y=2, z=3):
        return self.v + x + y + z

    def n(self, x=1):
        return x * self.v


c = C()
print(c.v, C(5).v, c.m(1), c.m(1, 1), c.m(1, 1, 1), c.n(), c.n(3))
bm = c.m
print(bm(100), bm(100, 0))
print(C.m(c, 7), C.n(c))


def outer():
    k = 5

    def inner(a, b=k):
        return a + b + k

    return inner


g = outer()
print(g(1), g(1, 1))


def rec(n, acc=0):
    if n == 0:
        return acc
    return rec(n - 1, acc + n)


print(rec(50))


def gen(n, step=1):
    i = 0
    while i < n:
        yield i
        i += step


print(list(gen(5)), list(gen(5, 2)))


def later(a, b, c=3):
    return (a, b, c)


print(later(1, 2))
later.__defaults__ = (7, 8)
print(later(1), later(1, 2))
later.__defaults__ = None
show("no defaults", lambda: later(1, 2))
later.__defaults__ = (9,)
show("one default", lambda: later(1))
show("none given", lambda: later())
show("method short", lambda: c.m())


def uses_locals(a, b=2):
    x = a + b
    y = [x] * b
    return x, y


print(uses_locals(1))


def boom(a, b=0):
    return a / b


try:
    boom(1)
except ZeroDivisionError as e:
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print("caught", e, tb.tb_frame.f_code.co_name, sorted(tb.tb_frame.f_locals.items()))


def depth(n=0):
    return depth(n + 1)


try:
    depth()
except RecursionError as e:
    print("RecursionError:", e)


boom(2)
