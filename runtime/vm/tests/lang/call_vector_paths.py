# The VM's own calls of Python functions with an argument vector (dunders, descriptors,
# __getitem__/__setitem__, __bool__/__len__, __repr__): plain signatures bind by moving the
# vector, everything else through the binder with CPython's messages. Expected output
# from CPython 3.13.
import sys


class V:
    def __init__(self, x):
        self.x = x

    def __add__(self, o):
        return V(self.x + o.x)

    def __lt__(self, o, flip=False):
        return (self.x < o.x) != flip

    def __eq__(self, o):
        return self.x == o.x

    __hash__ = None

    def __getitem__(self, i):
        return self.x * i

    def __setitem__(self, i, v):
        self.x = (i, v)

    def __len__(self):
        return 3

    def __repr__(self):
        return "V(%r)" % (self.x,)


a, b = V(1), V(2)
print(a + b, a < b, b < a, a == V(1), a[5], len(a), bool(a))
a[1] = 2
print(a)
print(sorted([V(3), V(1), V(2)]))


class Wrong:
    def __add__(self):
        return 0

    def __lt__(self, o, *more):
        return more == ()

    def __getitem__(self, *, key):
        return key

    def __len__(self, extra):
        return 0

    def __bool__(self, a, b=1):
        return True


w = Wrong()
for label, fn in [
    ("add", lambda: w + w),
    ("lt", lambda: w < w),
    ("getitem", lambda: w[0]),
    ("len", lambda: len(w)),
    ("bool", lambda: bool(w)),
]:
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError:", e)


def make_adder(n):
    def __add__(self, o):
        return n + o

    return __add__


class Closure:
    __add__ = make_adder(40)


print(Closure() + 2)


class GenIter:
    def __iter__(self, start=0):
        yield start
        yield start + 1


print(list(GenIter()))


class Desc:
    def __get__(self, obj, cls):
        return ("get", type(obj).__name__, cls.__name__)

    def __set__(self, obj, value):
        Desc.seen = (type(obj).__name__, value)


class Holder:
    d = Desc()


h = Holder()
print(h.d)
h.d = 9
print(Desc.seen)


class Deep:
    def __eq__(self, o):
        return self == o


sys.setrecursionlimit(80)
try:
    Deep() == Deep()
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(1000)


class Fails:
    def __getitem__(self, i):
        return 1 / i


Fails()[0]
