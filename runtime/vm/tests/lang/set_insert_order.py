# Set insertion: the home slot free, taken by an equal key, taken by another key (linear
# probes, then the perturbed jump), dummies left by removals, and growth at 3/5 full. Printed
# order shows the table's exact layout, which must match CPython's.

def show(label, s):
    print(label, len(s), list(s))

# Home slots free, then growth at the fifth member (8 slots -> 32).
s = set()
for k in (3, 1, 4, 0, 6):
    s.add(k)
    show("grow", s)

# Keys sharing a home slot (k mod 8 and k mod 32), in several insertion orders.
show("coll", set([8, 0, 16, 24, 32, 40]))
show("coll2", set([40, 32, 24, 16, 8, 0]))
show("coll3", {64, 0, 128, 32, 96, 1, 33, 65})

# Equal keys: the home slot holds an equal key (ints, a float and a bool equal to it).
show("dup", set([1, 1, 1.0, True, 2, 2.0]))
show("dup2", {0, False, 0.0, -0.0})
print(type(list({1.0, 1})[0]).__name__)

# -1 and -2 share a hash (-2); big ints wrap modulo 2**61 - 1.
show("neg", {-1, -2, -1, -2, -3})
m = 2**61 - 1
show("big", {m, 0, m + 1, 1, 2 * m, 2**64, 2**64 % m})

# Dummies: a removed key leaves a dummy on the probe path; a later insert reuses it.
s = {0, 8, 16, 24}
s.discard(8)
show("dummy", s)
s.add(32)
show("reuse", s)
s.add(8)
show("back", s)
s.discard(0)
s.discard(16)
s.add(16)
show("again", s)
print(8 in s, 0 in s, 24 in s, 40 in s)

# Built from generators (the nqueens shape) and from ranges, with duplicates.
vec = (3, 1, 4, 0, 6, 5, 2)
cols = range(7)
show("diag+", set(vec[i] + i for i in cols))
show("diag-", set(vec[i] - i for i in cols))
show("range", set(range(-10, 40, 3)))
show("mod", set(i % 5 for i in range(50)))

# Many members: several growths, then removal of most and re-adding.
s = set(range(0, 2000, 7))
print(len(s), sum(s), min(s), max(s))
for k in range(0, 2000, 14):
    s.discard(k)
print(len(s), sum(s))
for k in range(0, 100):
    s.add(k * 1024)
print(len(s), sum(s), list(s)[:10])

# Unhashable members fail at the member, after the earlier ones were added.
seen = []
def gen():
    for x in (1, 2, [3], 4):
        seen.append(x)
        yield x
try:
    set(gen())
except TypeError as e:
    print("TypeError", e, seen)

# A key whose __eq__ runs on a hash match (and is asked only then).
class K:
    def __init__(self, h, tag):
        self.h = h
        self.tag = tag
    def __hash__(self):
        return self.h
    def __eq__(self, other):
        print("eq", self.tag, other.tag)
        return self.h == other.h and self.tag[0] == other.tag[0]
    def __repr__(self):
        return self.tag

s = set()
for t in ("a1", "b1", "a2", "c1"):
    s.add(K(5, t))
print(sorted(map(repr, s)))
s.add(K(13, "a3"))
print(len(s))
