# Slices, slice assignment and calls: the paths the interpreter takes shortcuts on
# (BINARY_SLICE/STORE_SLICE without a slice object, in-place slice assignment, positional
# calls that move arguments straight into the callee's frame).


class Idx:
    def __init__(self, n, log=None, target=None):
        self.n = n
        self.log = log
        self.target = target

    def __index__(self):
        if self.log is not None:
            self.log.append(self.n)
        if self.target is not None:
            self.target.append(99)
        return self.n


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


a = list(range(10))
a[2:5] = (20, 30, 40)
print("same length, tuple", a)
a[2:5] = [7]
print("shorter", a)
a[1:1] = [100, 200]
print("insert", a)
a[:] = a
print("self, full", a)
a[2:6] = a
print("self, inner", a)
a[::2] = a[1::2]
print("extended", a)
a[5:2] = ["x"]
print("empty range", a)
a[-3:] = []
print("delete tail", a)
a[::-1] = list(a)
print("reversed assign", a)
show("extended size", lambda: a.__setitem__(slice(None, None, 2), [1]))
b = [1, 2, 3]


def bad_extended():
    b[::2] = (9,)


show("extended size stmt", bad_extended)
b[0:2] = (x * 10 for x in range(4))
print("generator source", b)
b[1:2] = "ab"
print("str source", b)


def not_iterable():
    b[0:1] = 5


show("not iterable", not_iterable)
c = [0, 1, 2, 3, 4, 5]
log = []
c[Idx(1, log):Idx(3, log)] = [8, 8]
print("index hooks", c, log)
src = [1, 2]
c[Idx(0, target=src):1] = src
print("index mutates source", c, src)
print("big bounds", c[-(10**30):10**30], c[10**30:])
t = tuple(range(6))
print("tuple slices", t[1:4], t[::-2], t[4:1:-1])
s = "héllo wörld"
print("str slices", s[1:5], s[::-1], s[7:])
print("range slice", range(10)[2:8:3], list(range(10)[::-3]))
print("bytes slice", b"abcdef"[1:4], bytearray(b"xyz")[::-1])
five = 5
show("int slice", lambda: five[1:2])


class Seq:
    def __getitem__(self, k):
        return ("get", k.start, k.stop, k.step)

    def __setitem__(self, k, v):
        print("set", k.start, k.stop, k.step, v)


q = Seq()
print(q[1:2], q[::3])
q[4:5] = "v"
perm = list(range(8))
k = perm[3]
perm[: k + 1] = perm[k::-1]
print("fannkuch flip", perm)


def f0():
    return "f0"


def f2(x, y):
    return x - y


def fdef(x, y=5, *, z=7):
    return x, y, z


def fstar(*args, **kw):
    return args, sorted(kw.items())


def fcell(x):
    def inner():
        return x * 2

    return inner()


class K:
    def m(self, a, b):
        return (type(self).__name__, a, b)

    @staticmethod
    def s(a):
        return a + 1

    @classmethod
    def c(cls, a):
        return cls.__name__, a


print(f0(), f2(10, 3), fdef(1), fdef(1, 2, z=3), fstar(1, 2, a=3), fcell(21))
kk = K()
print(kk.m(1, 2), K.m(kk, 3, 4), kk.s(1), K.s(2), kk.c(5), K.c(6))
show("too many", lambda: f2(1, 2, 3))
show("too few", lambda: f2(1))
show("method too many", lambda: kk.m(1, 2, 3))
show("method too few", lambda: kk.m(1))
show("kw unknown", lambda: f2(1, w=2))


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


print("deep", deep(500))


def unbounded(n):
    return unbounded(n + 1)


show("recursion", lambda: unbounded(0))
print("after recursion", deep(100))


def gen(n):
    for i in range(n):
        yield i * i


print(list(gen(5)), sum(gen(100)))
print([x for x in reversed([1, 2, 3])], 2 in [1, 2, 3], (1, 2) in [(1, 2)], "b" in "abc")
x, *ys, z = [1, 2, 3, 4, 5]
print(x, ys, z)
(p, q2), r = (1, 2), 3
print(p, q2, r)
