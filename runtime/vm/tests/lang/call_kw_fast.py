# CALL_KW to plain positional functions (Vm::call_kw_simple) and the calls it leaves
# to the general binder.


def g(a, b=2):
    return (a, b)


def h(a, b, c=3, d=5):
    return (a, b, c, d)


def three(x, y, z):
    return x * 100 + y * 10 + z


def show(label, fn):
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError:", e)


# Keywords in any order, with and without defaults.
print(g(1, b=3), g(a=1, b=2), g(b=7, a=8), g(a=4))
print(h(1, 2, c=4), h(1, b=2), h(b=1, a=2, d=9), h(d=1, c=2, b=3, a=4))
print(three(1, z=3, y=2), three(z=1, x=2, y=3), three(y=9, z=8, x=7))
acc = 0
for i in range(1000):
    acc += g(i, b=i)[1] + h(i, 2, c=4)[2] + three(z=i, y=1, x=2)
print(acc)

# Errors: the general binder's texts.
show("dup", lambda: g(1, a=2))
show("dup2", lambda: h(1, 2, b=3))
show("unknown", lambda: g(1, c=3))
show("unknown2", lambda: h(1, 2, zz=3, c=4))
show("missing", lambda: h(1, c=3))
show("missing2", lambda: three(x=1, z=3))
show("missing3", lambda: h(c=1, d=2))
show("toomany", lambda: g(1, 2, b=3))
show("nondefault", lambda: three(1, 2, x=3))


# Signatures the fast path leaves alone.
def star(a, *args, b=1):
    return (a, args, b)


def kw(a, **kwargs):
    return (a, sorted(kwargs.items()))


def kwonly(a, *, b, c=3):
    return (a, b, c)


def posonly(a, b=2, /, c=3):
    return (a, b, c)


print(star(1, 2, 3, b=4), star(a=1), star(1, b=2))
print(kw(1, x=2, y=3), kw(a=1, b=2), kw(x=1, a=2))
print(kwonly(1, b=2), kwonly(b=2, a=1, c=9))
show("kwonly missing", lambda: kwonly(1, c=2))
print(posonly(1, c=5), posonly(1, 2, c=3))
show("posonly kw", lambda: posonly(a=1))
show("posonly kw2", lambda: posonly(1, b=2))


# Defaults changed after definition, and a function without defaults any more.
def late(a, b=1, c=2):
    return (a, b, c)


print(late(0, c=9))
late.__defaults__ = (10, 20)
print(late(0, c=9), late(a=5))
late.__defaults__ = None
show("no defaults", lambda: late(0, c=9))
print(late(0, b=1, c=2))


# Bound methods with keywords, through the method form and a bound method object.
class C:
    def __init__(self, base=0):
        self.base = base

    def m(self, x, y=2):
        return self.base + x * y

    def n(self, x, *, k=1):
        return self.base + x + k


c = C(base=100)
print(c.m(1, y=5), c.m(y=3, x=2), c.m(x=1))
bm = c.m
print(bm(x=4), bm(4, y=1))
show("method dup", lambda: c.m(1, x=2))
show("method self kw", lambda: c.m(1, self=2))
show("method unknown", lambda: bm(1, z=2))
print(c.n(1, k=5), C.m(c, x=1, y=1), C.m(self=c, x=2))


class D(C):
    def m(self, x, y=3):
        return super().m(x=x, y=y) + 1


print(D(base=1).m(2), D().m(x=1, y=1))


# Recursion through keyword calls.
def fact(n, acc=1):
    if n <= 1:
        return acc
    return fact(acc=acc * n, n=n - 1)


print(fact(n=20))


def depth(n, d=0):
    if n == 0:
        return d
    return depth(n=n - 1, d=d + 1)


print(depth(500))


# Keyword names built at run time (not interned by the compiler).
name = "".join(["b"])
print(g(1, **{name: 5}), h(1, 2, **{"".join(["c"]): 7}))
show("dict dup", lambda: g(1, **{"".join(["a"]): 5}))


def boom(a, b=0):
    return a / b


boom(1, b=0)
