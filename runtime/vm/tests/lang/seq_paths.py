# Paths taken by nqueens-style code (session 11): list and tuple concatenation, tuple[int],
# slices of lists, tuples, strs and ranges with int or None bounds (and the general path),
# slice assignment, sets of ints, and closure tuples whose objects are reused for the next
# BUILD_TUPLE (a genexpr's closure, then other tuples built right after).

a = [1, 2, 3]
b = [4, 5]
c = a + b
print(c, a, b, c is a, c is b)
c.append(6)
print(c, a)
print([] + [], [1] + [], [] + [2])
t = (1, 2) + (3,)
print(t, () + (), t + ())
try:
    [1] + (2,)
except TypeError as e:
    print("TypeError", e)
try:
    (1,) + [2]
except TypeError as e:
    print("TypeError", e)

t = (10, "x", None, 2.5)
print(t[0], t[1], t[2], t[3], t[-1], t[-4])
for k in (4, -5, 10**20):
    try:
        print(t[k])
    except IndexError as e:
        print("IndexError", e)
try:
    t["a"]
except TypeError as e:
    print("TypeError", e)
print(t[True], t[False])

lst = list(range(10))
print(lst[2:5], lst[:3], lst[7:], lst[-3:], lst[:-8], lst[5:2], lst[None:4], lst[3:None])
print(t[1:3], t[:0], "hello"[1:4], "héllo"[1:3], range(10)[2:8], range(0, 20, 3)[1:4])
print(range(10)[-3:], range(5, 0, -1)[1:3], lst[True:3], b"bytes"[1:3])
print(lst[1:100], lst[-100:2], t[2:1])


class Idx:
    def __index__(self):
        return 2


print(lst[Idx():5], lst[1:Idx()], t[Idx():])
try:
    lst["a":2]
except TypeError as e:
    print("TypeError", e)
five = 5
try:
    five[1:2]
except TypeError as e:
    print("TypeError", e)

indices = list(range(6))
for i in (3, 0, 5):
    indices[i:] = indices[i + 1:] + indices[i:i + 1]
    print(indices)
keep = [7, 8]
indices[1:3] = keep
print(indices, keep)
indices[Idx():4] = (1, 1)
print(indices)
s = "abc"
try:
    s[0:1] = "z"
except TypeError as e:
    print("TypeError", e)

cols = range(8)
vec = (0, 4, 7, 5, 2, 6, 1, 3)
print(len(set(vec[i] + i for i in cols)), len(set(vec[i] - i for i in cols)))
print(sorted(set(vec[i] - i for i in cols)), set([-1, -2, 2**61 - 1, 2**61, -(2**61), 2**63 - 1]))
print(hash(-1), hash(2**61 - 1), hash(2**61), hash(-(2**61)), hash(2**63 - 1), hash(-(2**63)))


def closures(n):
    out = []
    for k in range(n):
        pool = (k, k + 1)
        out.append(tuple(pool[i] for i in range(2)))
        pair = (k, "p")
        out.append(pair)
        fns = [lambda: k + j for j in range(2)]
        out.append(tuple(f() for f in fns))
    return out


print(closures(4))


def outer():
    x = 1
    y = 2

    def inner():
        return x + y

    t1 = (x, y)
    return inner, t1


f1, t1 = outer()
f2, t2 = outer()
print(f1(), f2(), t1, t2, len(f1.__closure__), f1.__closure__[0].cell_contents)
print(f1.__closure__ is f2.__closure__, t1 == t2)

big = 2**61
for r in (range(5), range(3, 3), range(5, 2), range(-big, big), range(-5, -1), range(0, 10, 3),
          range(10, 0, -1), range(-big, big, 2**60), range(big, -big, -1)):
    print(len(r), r[:2], r[1:], bool(r), list(r[:3]))


def cell_tuples():
    kept = []
    vec = None
    for k in range(6):
        vec = tuple(k * 10 + i for i in range(k % 4))
        if k % 2:
            kept.append(vec)
        total = sum(vec[i] for i in range(len(vec)))
        print(vec, total, tuple(x for x in ()), tuple(x for x in [k]))
    print(kept, vec)


cell_tuples()


class Plain:
    pass


class Sub(Plain):
    pass


p, q = Plain(), Sub()
print(bool(p), bool(q), "yes" if p else "no", not q)
Plain.__len__ = lambda self: 0
print(bool(p), bool(q), "yes" if p else "no", not q)
del Plain.__len__
print(bool(p), bool(q))
Sub.__bool__ = lambda self: False
print(bool(p), bool(q), [1 for x in (p, q, p) if x])
p.__bool__ = lambda: False
print(bool(p))
