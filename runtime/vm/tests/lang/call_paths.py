# Call paths taken straight from the value stack: class instantiation with a Python
# __init__, native functions reading their arguments in place, and the general paths next
# to them. Expected output from CPython 3.13.
import sys


class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Q(P):
    pass


class R:
    def __init__(self):
        self.v = 7


class Bad:
    def __init__(self, x):
        return x


class Raises:
    def __init__(self, x):
        self.x = x
        raise ValueError("init failed for %r" % (x,))


class WithNew:
    def __new__(cls, x):
        print("new", cls.__name__, x)
        return super().__new__(cls)

    def __init__(self, x):
        self.x = x


class NewOther:
    def __new__(cls, x):
        return x * 2

    def __init__(self, x):
        print("never")


class Defaults:
    def __init__(self, a, b=5):
        self.s = a + b


class Star:
    def __init__(self, *args, **kw):
        self.n = len(args) + len(kw)


class GenInit:
    def __init__(self):
        yield 1


def run(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


for i in range(3):
    p = P(i, i + 1)
    q = Q(i, -i)
    print(p.x, p.y, q.x, q.y, type(q).__name__, R().v)
run("bad-none", lambda: Bad(None).__class__.__name__)
run("bad-int", lambda: Bad(3))
run("bad-str", lambda: Bad("s"))
run("too-many", lambda: P(1, 2, 3))
run("too-few", lambda: P(1))
run("kw", lambda: P(1, y=2).y)
run("defaults", lambda: (Defaults(1).s, Defaults(1, 2).s))
run("star", lambda: (Star().n, Star(1, 2).n, Star(1, k=2).n))
run("gen-init", lambda: GenInit())
run("withnew", lambda: WithNew(4).x)
run("newother", lambda: NewOther(21))
for i in range(2):
    run("raises", lambda: Raises(i))

# An exception from __init__ reaches the caller's handler.
try:
    Raises("tb")
except ValueError as e:
    print("caught", e)

# __init__ replaced and deleted after the class was used.
for i in range(3):
    print(P(i, 1).x)
def new_init(self, a, b):
    self.x = a * 100
    self.y = b
P.__init__ = new_init
print(P(1, 2).x, Q(3, 4).x)
def one_arg(self, a):
    self.x = -a
P.__init__ = one_arg
print(P(5).x)
run("old-arity", lambda: P(1, 2))
del P.__init__
run("no-init-args", lambda: P(1))
print(type(P()).__name__)

# Recursion through __init__ still stops with RecursionError.
class Deep:
    def __init__(self, n):
        self.child = Deep(n + 1) if n < 100000 else None
try:
    Deep(0)
except RecursionError as e:
    print("recursion", type(e).__name__)

# Native functions with their arguments in place: plain, method form, errors.
lst = []
for i in range(5):
    lst.append(i)
    print(isinstance(i, int), len(lst), abs(-i), max(i, 2), lst.pop() if i == 4 else None)
run("len-none", lambda: len(None))
run("isinstance-bad", lambda: isinstance(1, 2))
run("max-empty", lambda: max([]))
run("pop-empty", lambda: [].pop())
run("append-two", lambda: [].append(1, 2))
run("int-str", lambda: int("x1"))
d = {}
for i in range(3):
    d.setdefault(i % 2, []).append(i)
print(d, sorted(d), sum([1, 2, 3]), min(3, 1, 2), "-".join(["a", "b"]))
print(divmod(7, 2), round(2.675, 2), pow(2, 10), hash(1) == hash(1.0))

# A native function that calls back into Python while its arguments sit on the stack.
class K:
    def __init__(self, k):
        self.k = k
    def __lt__(self, other):
        return self.k < other.k
    def __repr__(self):
        return "K(%d)" % self.k
print(sorted([K(3), K(1), K(2)]), max(K(5), K(9)), min(K(5), K(9)))
print(list(map(lambda v: v * 2, [1, 2, 3])), list(filter(None, [0, 1, 2])))
try:
    max(K(1), 3)
except AttributeError as e:
    print("AttributeError", e)

# Bound method objects called with an empty self slot.
class M:
    def __init__(self, b):
        self.b = b
    def add(self, x):
        return self.b + x
    def star(self, *xs):
        return sum(xs) + self.b
ms = M(10)
add = ms.add
star = ms.star
acc = []
push = acc.append
pop = acc.pop
ins = acc.insert
for i in range(4):
    push(add(i))
    ins(0, star(i, i))
print(acc, pop(), pop(0), acc)
run("method-arity", lambda: add(1, 2))
run("method-kw", lambda: add(x=5))
run("builtin-method-arity", lambda: push())
empty_pop = [].pop
run("pop-empty-call", lambda: empty_pop())
import random
rnd = random.Random(5)
draw = rnd.random
print(round(draw(), 6), round(draw(), 6))
class Wrap:
    pass
w = Wrap()
w.f = add
print(w.f(7), Wrap.__dict__.get("f"), type(add).__name__)
