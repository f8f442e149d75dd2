# Paths that reuse or skip allocations (session 3, helper G): collect's scratch buffer,
# MAKE_FUNCTION taking its closure/defaults tuple, SEND borrowing its receiver, and the
# generator's recorded `yield from` delegate.

# tuple/list/set from generators of many lengths, nested inside each other.
for n in (0, 1, 2, 7, 8, 9, 300):
    t = tuple(i * i for i in range(n))
    l = list(tuple(j for j in range(k)) for k in range(n % 5))
    print(n, len(t), t[:3], t[-2:], l)
print(tuple(tuple(y for y in range(x)) for x in range(4)))

# An exception part-way through collecting leaves nothing behind.
def boom(k):
    for i in range(k):
        yield i
    raise ValueError("stop at %d" % k)
for k in (0, 3):
    try:
        tuple(boom(k))
    except ValueError as e:
        print("caught", e)
print(tuple(range(4)), list(x for x in "abc"))

# Defaults and closures, also with a shared tuple and repeated definitions.
shared = (1, 2)
def mk(a):
    def f(x=a, *, y=shared):
        return (x, y, a)
    return f
fs = [mk(i) for i in range(3)]
print([f() for f in fs], [f(9) for f in fs])
print([(lambda q=i: q)() for i in range(3)])

# yield from through several delegates in turn; gi_yieldfrom follows the current one.
def inner(tag, n):
    for i in range(n):
        yield tag, i
    return tag

def outer():
    r1 = yield from inner("a", 2)
    r2 = yield from inner("b", 1)
    yield "plain"
    r3 = yield from iter([7, 8])
    return (r1, r2, r3)

g = outer()
print(g.gi_yieldfrom)
for v in g:
    yf = g.gi_yieldfrom
    print(v, yf is None, getattr(yf, "__name__", "-"))
print(g.gi_yieldfrom)

# send() and throw() through a yield from chain.
def echo():
    got = None
    while True:
        try:
            got = yield got
        except KeyError as e:
            got = "threw %s" % e

def relay():
    yield from echo()

r = relay()
next(r)
print(r.send(1), r.send("two"), r.throw(KeyError("k")))
r.close()
print(r.gi_yieldfrom)

# enumerate/zip refill their last result tuple only when nobody else holds it.
kept = list(enumerate("abc", 5))
print(kept, [id(t) for t in kept].count(id(kept[0])))
pairs = []
for t in zip("xyz", range(3), [None, 1.5, "s"]):
    pairs.append(t)
print(pairs, pairs[0] is pairs[1])
seen = []
for i, c in enumerate("hello"):
    seen.append((i, c))
print(seen)
e = enumerate(range(3))
a = next(e)
b = next(e)
print(a, b, a is b, next(e), next(e, "done"))
z = zip(range(2), "ab")
first = next(z)
print(first, next(z), next(z, "end"), first)
print(list(zip()), list(zip([1, 2], [])), list(enumerate([])))
for strict_args in (([1, 2], [3]), ([1], [2, 3]), ([1, 2], [3, 4], [5])):
    try:
        print(list(zip(*strict_args, strict=True)))
    except ValueError as err:
        print("ValueError", err)
d = {k: v for k, v in zip("abc", range(3))}
print(d, sum(i * x for i, x in enumerate([2.0, 3.0, 4.0])))

def gen_with_inner_enumerate():
    for i, c in enumerate("ab"):
        yield i, [(j, d) for j, d in enumerate(c * 2)]
print(list(gen_with_inner_enumerate()))
