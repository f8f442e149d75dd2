# Calls a Python function binds straight from the caller's stack (fewer positional
# arguments than parameters, keywords, keyword-only parameters), and every case that
# must leave that path for the general binder: errors with CPython's texts, star
# parameters, keyword names made at run time, bound method objects, defaults changed
# after the def, recursion, generators. Expected output from CPython 3.13.
import sys


def f(a, b=1, c=2):
    return (a, b, c)


def g(a, b, /, c, d=4, *, e, f=6):
    return (a, b, c, d, e, f)


def h(*args, **kw):
    return (args, sorted(kw.items()))


def k(a, b=[], *, c):
    b.append(a)
    return (a, len(b), c)


def show(label, fn):
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError:", e)


show("f1", lambda: f(1))
show("f2", lambda: f(1, 2))
show("f3", lambda: f(1, c=3))
show("f4", lambda: f(1, c=3, b=4))
show("f5", lambda: f(a=5))
show("f6", lambda: f(c=6, a=7))
show("f7", lambda: f())
show("f8", lambda: f(b=1))
show("f9", lambda: f(1, a=2))
show("f10", lambda: f(1, d=2))
show("f11", lambda: f(1, 2, 3, 4))
show("f12", lambda: f(1, 2, 3, c=4))
show("g1", lambda: g(1, 2, 3, e=5))
show("g2", lambda: g(1, 2, c=3, e=5, f=7))
show("g3", lambda: g(1, 2, 3))
show("g4", lambda: g(1, b=2, c=3, e=5))
show("g5", lambda: g(1, 2, 3, 4, 5, e=5))
show("g6", lambda: g(1, 2, 3, d=9, e=8))
show("h1", lambda: h(1, x=2))
show("h2", lambda: h(y=1))
show("k1", lambda: k(1, c=0))
show("k2", lambda: k(2, c=0))
show("k3", lambda: k(3, [], c=0))
show("k4", lambda: k(4))

# Keyword names that are not interned constants: built at run time.
name = "".join(["b"])
show("dyn1", lambda: f(1, **{name: 9}))
show("dyn2", lambda: f(**{"a": 1, "c" + "": 8}))

# __defaults__ and __kwdefaults__ replaced after the def.
f.__defaults__ = (10, 20)
show("d1", lambda: f(1))
f.__defaults__ = (30,)
show("d2", lambda: f(1))
show("d3", lambda: f(1, 2))
f.__defaults__ = None
show("d4", lambda: f(1))
show("d5", lambda: f(1, 2, 3))
g.__kwdefaults__ = {"e": 50}
show("d6", lambda: g(1, 2, 3))
g.__kwdefaults__ = None
show("d7", lambda: g(1, 2, 3))


class C:
    def m(self, x, y=2, *, z=3):
        return (type(self).__name__, x, y, z)

    def n(self, x, y=5):
        return (x, y)


class D(C):
    pass


c = D()
show("m1", lambda: c.m(1))
show("m2", lambda: c.m(1, z=9))
show("m3", lambda: c.m(x=1, y=2))
show("m4", lambda: c.m())
show("m5", lambda: c.m(1, x=2))
bm = c.n
show("bm1", lambda: bm(1))
show("bm2", lambda: bm(y=1, x=2))
show("bm3", lambda: bm(1, self=2))
show("um1", lambda: C.n(c, 1))
show("um2", lambda: C.n(c, x=7))
show("um3", lambda: C.n(self=c, x=7))


# Keyword-only parameters filled from __kwdefaults__: shared mutable defaults, more of
# them than the stack path takes, a dict changed in place.
def many(*, a=1, b=2, c=3, d=4, e=5):
    return (a, b, c, d, e)


def kwd_mut(p, *, x=[]):
    x.append(p)
    return len(x)


show("kw1", lambda: many())
show("kw2", lambda: many(c=0))
show("kw3", lambda: many(a=0, b=0))
show("kw4", lambda: (kwd_mut(1), kwd_mut(2), kwd_mut(3, x=[])))
many.__kwdefaults__["e"] = 50
show("kw5", lambda: many(a=0, b=0))
del many.__kwdefaults__["d"]
show("kw6", lambda: many(a=0, b=0))
show("kw7", lambda: many(d=0))


# Many parameters and keywords.
def wide(a, b, c, d, e, f, g, h, i, j, k=11, l=12):
    return a + b + c + d + e + f + g + h + i + j + k + l


show("w1", lambda: wide(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
show("w2", lambda: wide(j=1, i=2, h=3, g=4, f=5, e=6, d=7, c=8, b=9, a=10))
show("w3", lambda: wide(1, 2, 3, 4, 5, 6, 7, 8, j=1, i=2, l=0))
show("w4", lambda: wide(1, 2, 3, 4, 5, 6, 7, 8, j=1))


# Closures, generators and coroutines called this way.
def outer(n):
    def inner(a, b=n, *, c=1):
        return a + b + c

    return inner


show("cl1", lambda: outer(5)(1))
show("cl2", lambda: outer(5)(1, c=10))


def gen(a, b=2, *, c=3):
    yield a
    yield b
    yield c


show("gen1", lambda: list(gen(1)))
show("gen2", lambda: list(gen(1, c=9)))


async def co(a, b=2):
    return a + b


def drive(c):
    try:
        c.send(None)
    except StopIteration as e:
        return e.value


show("co1", lambda: drive(co(1)))
show("co2", lambda: drive(co(b=5, a=1)))


# Recursion through the default-filling path.
def depth(n, acc=0):
    return acc if n == 0 else depth(n - 1, acc=acc + 1)


show("rec1", lambda: depth(100))
sys.setrecursionlimit(60)
try:
    depth(1000)
except RecursionError as e:
    print("rec2 RecursionError:", e)
sys.setrecursionlimit(1000)


# A traceback through a frame entered this way.
def fails(a, b=0):
    return a / b


def call_fails():
    return fails(1, b=0)


try:
    g.__kwdefaults__ = 5
except TypeError as e:
    print("kwd", e)
print("kwd", g.__kwdefaults__)
g.__kwdefaults__ = {"f": 1}
show("d8", lambda: g(1, 2, 3, e=0))
show("d9", lambda: g(1, 2, 3))

print(call_fails.__name__)
call_fails()
