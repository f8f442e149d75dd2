# CALL of a plain positional Python function writes the callee's return value straight
# into the caller's stack slot (call_positional's push path). Results must land where the
# expression expects them at any stack depth, generator functions called that way must
# give their generator, and errors (exceptions, recursion limit) must leave the caller's
# stack intact. Expected output from CPython 3.13.
import sys


def ident(x):
    return x


def pair(a, b):
    return (a, b)


def none():
    pass


def add(a, b):
    return a + b


# Results at different depths of the caller's value stack.
print(ident(1) + ident(2) * ident(3))
print([ident(i) for i in range(5)])
print(pair(ident("a"), pair(ident(1), ident(2.5))))
print({ident("k"): ident([1, 2])}, none())
print(add(add(1, 2), add(add(3, 4), 5)))
print("%s-%s" % (ident("x"), ident(None)))
s = 0
for i in range(100):
    s += add(i, ident(i))
print(s)
big = 10 ** 30
print(ident(big) + 1, ident(-0.0), ident(1j))


# Methods through LOAD_ATTR's method form, and through a bound method object.
class C:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v

    def plus(self, d):
        return self.v + d


c = C(5)
m = c.plus
print(c.get(), c.plus(2), m(3), [m(i) for i in range(3)])


# Generator functions called the plain way (their generator is the result).
def gen(n):
    for i in range(n):
        yield i


def gen_cell(n):
    k = n * 2

    def inner():
        return k

    yield inner()
    yield n


def take(g):
    return list(g)


print(take(gen(3)), list(gen_cell(4)), next(gen(2)), [next(gen(i + 1)) for i in range(3)])
g = gen(2)
print(type(g).__name__, add(next(g), 10))


# A callee's exception leaves the caller's stack as it was.
def boom(x):
    if x == 3:
        raise ValueError("boom %d" % x)
    return x


out = []
for i in range(5):
    try:
        out.append((i, boom(i)))
    except ValueError as e:
        out.append(str(e))
print(out)
try:
    print(pair(1, boom(3)))
except ValueError as e:
    print("caught", e)


# Recursion through plain calls: the limit, and the stack after it.
def down(n):
    if n == 0:
        return 0
    return 1 + down(n - 1)


print(down(200))
sys.setrecursionlimit(120)
try:
    down(500)
except RecursionError as e:
    print("RecursionError:", e)
print(down(50), add(1, 2))
sys.setrecursionlimit(1000)


# A generator abandoned inside a callee is closed when the callee returns.
def holds():
    def g2():
        try:
            yield 1
        finally:
            print("closed in callee")

    it = g2()
    next(it)
    return "ret"


print(holds())


# Wrong argument counts still report CPython's errors.
try:
    add(1)
except TypeError as e:
    print(e)
try:
    add(1, 2, 3)
except TypeError as e:
    print(e)
try:
    c.plus()
except TypeError as e:
    print(e)


# Calls with defaults (call_defaults) and keywords (call_kw_simple, call_bind_on_stack)
# push their results the same way, fallbacks included.
def dflt(a, b=10, c=100):
    return a + b + c


def kwo(a, *, k=5):
    return a * k


def gdef(n, step=1):
    yield from range(0, n, step)


print(ident(1) + dflt(2) + dflt(3, 4) + dflt(a=5) + dflt(1, c=2) + kwo(2) + kwo(3, k=2))
print([dflt(i, b=i) for i in range(3)], list(gdef(5)), list(gdef(6, step=2)), c.plus(d=1))
try:
    print(1 + dflt(1, x=2))
except TypeError as e:
    print(e)
try:
    print(1 + dflt(1, 2, b=3))
except TypeError as e:
    print(e)
try:
    print(1 + dflt())
except TypeError as e:
    print(e)
print(boom(4) + boom(3))
