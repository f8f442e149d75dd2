# Sets whose first table is inline (up to 4 members) and the moves between it and a heap
# table: growth at the 5th member, shrinking back (clear, difference_update), dummies in the
# inline table, pop after growth, copies, frozenset, and set(genexpr)/BUILD_SET errors.

def show(tag, s):
    print(tag, len(s), list(s))

# Growth from the inline table at the 5th member, with colliding homes.
s = set()
for k in (8, 0, 16, 24, 1, 33):
    s.add(k)
    show("grow", s)

# Dummies in the inline table, then inserts that reuse them or rebuild it in place.
s = {0, 8, 16, 24}
s.discard(8)
s.discard(16)
show("dummies", s)
s.add(16)
show("reuse", s)
for k in (40, 48, 56):
    s.add(k)
    s.discard(k)
show("churn", s)
s.add(3)
show("after churn", s)

# Back to the inline table: clear, and a difference_update that shrinks the table.
s = set(range(20))
s.clear()
show("cleared", s)
s.update([5, 13, 21])
show("refill", s)
s = set(range(40))
s -= set(range(3, 40))
show("shrunk", s)
s.add(11)
show("shrunk add", s)

# pop walks the table in slot order with its finger, across a growth and a clear.
s = {7, 15, 23, 31, 2, 10}
print("pops", [s.pop() for _ in range(3)], sorted(s))
s.clear()
s.update((9, 1, 17))
print("pops after clear", [s.pop() for _ in range(3)])

# Copies of small and grown sets keep the layout.
for src in (set([3, 11, 19]), set([3, 11, 19, 27, 35, 43])):
    c = src.copy()
    print("copy", list(c) == list(src), list(c), list(set(src)), list(frozenset(src)))

# frozenset and set from generators, native and not.
class K:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return self.v % 3
    def __eq__(self, other):
        return isinstance(other, K) and self.v == other.v
    def __repr__(self):
        return f"K({self.v})"

print("frozenset", sorted(frozenset(i * 7 % 10 for i in range(9))))
print("mixed", list(set(x for x in (1, K(4), 9, K(4), K(7), 17, 1))))
print("genexpr", list(set(i * i for i in range(-6, 7))))

# An error while building: the set being built is dropped, the program goes on.
def gen():
    yield 1
    yield 2
    yield []
    yield 3
try:
    set(gen())
except TypeError as e:
    print("genexpr error", e)
a, b = 1, []
try:
    print({a, 2, 3, 4, 5, b})
except TypeError as e:
    print("build error", e)
print("literal", {a, 2, 3, 4, 5, 6, 7, 8}, {a, a, a})

# A set dropped while full of objects, and one cleared.
class D:
    def __init__(self, n):
        self.n = n
    def __hash__(self):
        return self.n

s = {D(n) for n in (4, 1, 9, 3, 12, 6)}
print("dropping", len(s))
del s
t = {D(2), D(10)}
t.clear()
print("end", t)
