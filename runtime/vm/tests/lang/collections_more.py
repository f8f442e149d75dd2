# collections: ChainMap, Counter's & | unary + -, deque index/insert/remove/del/+=, and
# namedtuple classes as real tuple subclasses (tuple operations, _field_defaults,
# _make/_replace/_asdict, errors worded as CPython's generated __new__).
from collections import ChainMap, Counter, deque, namedtuple

base = {"a": 1, "b": 2}
over = {"a": 10, "c": 3}
cm = ChainMap(over, base)
print(cm["a"], cm["b"], cm.get("z", "dflt"), len(cm), list(cm), sorted(cm.items()), "c" in cm, bool(ChainMap()))
cm["b"] = 20
print(over, base, cm)
child = cm.new_child({"d": 4})
print(child["d"], child.parents == cm, child.maps[0], ChainMap({}, {}).maps, ChainMap().maps)
try:
    del cm["zz"]
except KeyError as e:
    print("KeyError", e)
try:
    cm["nope"]
except KeyError as e:
    print("KeyError", e)
print(dict(cm), cm.pop("c"), cm.setdefault("e", 5), cm | {"f": 6})

a, b = Counter(a=3, b=1, c=2), Counter(a=1, b=2, d=4)
print(a & b, a | b, a + b, a - b, +Counter(x=2, y=-1, z=0), -Counter(x=2, y=-1))

d = deque("abcde")
d.insert(2, "X")
d.insert(-1, "Y")
print(d, d.index("c"), d.index("e", 2), d.index("b", -6, -3))
d.remove("X")
del d[0]
d += "fg"
print(d)
for f in (lambda: d.index("zz"), lambda: d.remove("zz"), lambda: deque([1], maxlen=1).insert(0, 2)):
    try:
        f()
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)

Point = namedtuple("Point", "x y z", defaults=[0])
p = Point(1, 2)
print(p, isinstance(p, tuple), p + (9,), p[1:], p == (1, 2, 0), p < Point(1, 3), hash(p) == hash((1, 2, 0)), len(p))
print(p._fields, p._field_defaults, Point._make([4, 5, 6]), p._replace(z=7), p._asdict(), tuple(p), list(p))
x, y, z = p
print(x, y, z, p.x, Point.x.__doc__, type(p).__name__, Point.__mro__[1], "%s-%s-%s" % p, max(p))
print(sorted([Point(2, 1), Point(1, 5), Point(1, 2, -1)]), {p: "v"}[(1, 2, 0)], p.count(2), p.index(0))
for args, kw in [((1, 2, 3, 4), {}), ((), {}), ((1,), {"x": 1}), ((1, 2), {"w": 3})]:
    try:
        Point(*args, **kw)
    except TypeError as e:
        print("TypeError", e)
Pair = namedtuple("Pair", ["left", "right"])
for f in (lambda: Pair(1), lambda: Pair(1, 2, 3), lambda: Pair._make([1]), lambda: Pair(1, 2)._replace(mid=0)):
    try:
        f()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for bad in (["a", "a"], ["_x"], ["def"], ["1a"]):
    try:
        namedtuple("T", bad)
    except ValueError as e:
        print("ValueError", e)
print(namedtuple("R", ["a", "def", "a", "_b"], rename=True)._fields, namedtuple("E", "")())


class Vec(namedtuple("VecBase", "x y")):
    __slots__ = ()

    def norm2(self):
        return self.x ** 2 + self.y ** 2


v = Vec(3, 4)
print(v, v.norm2(), isinstance(v, tuple), Vec._make((1, 1)))
match p:
    case Point(x=1, y=yy):
        print("matched", yy)
