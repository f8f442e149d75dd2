# Subclasses of set: repr with the class name, set algebra (results are plain sets), in-place
# operators keeping the instance, overridden add, unhashability.
class S(set):
    pass
s = S([3, 1, 2])
print(s, type(s), isinstance(s, set), len(s), 2 in s, sorted(s), S(), repr(S('a')))
s.add(4); s.discard(1)
print(sorted(s), s == {2, 3, 4}, {2, 3, 4} == s, s <= {2, 3, 4, 5}, type(s | {9}), sorted(s | {9}), sorted({9} | s), sorted(s & {2}), sorted(s - {2}), sorted(s ^ {2, 7}))
s |= {10}
print(type(s), sorted(s), type(s.copy()), type(s.union([1])))
try:
    hash(s)
except TypeError as e:
    print(e)
class Tracked(set):
    def __init__(self, items=()):
        super().__init__(items)
        self.adds = 0
    def add(self, x):
        self.adds += 1
        super().add(x)
t = Tracked([1])
t.add(2); t.add(2)
print(t, t.adds, len(t), frozenset(t) == {1, 2})
