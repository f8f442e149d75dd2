class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = P(1, 2)
d = p.__dict__
print(d, d is p.__dict__, type(d).__name__)
d["z"] = 3
print(p.z, vars(p))
p.w = 4
print(d)
d.update(x=10, q=5)
print(p.x, p.q)
del d["y"]
print(hasattr(p, "y"), list(d))
try:
    p.y
except AttributeError as e:
    print("AttributeError:", e)
vars(p)["k"] = "v"
print(p.k)
p.x = 100
print(d["x"], list(d.items()))
del p.z
print("z" in d, len(d))
d.clear()
print(vars(p), hasattr(p, "x"))
p.a = 1
print(p.__dict__)
d.pop("a")
print(p.__dict__, getattr(p, "a", "gone"))
d.setdefault("s", 7)
print(p.s)

# a fresh instance keeps using the fast path; the old one works on
q = P(3, 4)
print(q.x + q.y, q.__dict__)
q.__dict__ = {"m": 1}
print(q.m, hasattr(q, "x"), vars(q))
try:
    q.__dict__ = 5
except TypeError as e:
    print("TypeError:", e)


class S:
    __slots__ = ("a", "__dict__")

    def __init__(self):
        self.a = 1
        self.b = 2


s = S()
sd = s.__dict__
print(sd)
sd["c"] = 3
print(s.c, s.a)
s.a = 5
print(s.__dict__, s.a)


class WithMethods:
    cls_attr = "class"

    def __init__(self):
        self.v = 1

    def get(self):
        return self.v


w = WithMethods()
w.__dict__["v"] = 42
print(w.get(), w.cls_attr)
w.__dict__["cls_attr"] = "inst"
print(w.cls_attr, WithMethods.cls_attr)
w.__dict__["get"] = lambda: "shadow"
print(w.get())

# many instances in a loop, a few of them in dict mode
objs = [P(i, i) for i in range(10)]
for o in objs[::3]:
    o.__dict__["extra"] = o.x * 2
total = 0
for o in objs:
    total += o.x + o.y + getattr(o, "extra", 0)
print(total)


class E(Exception):
    pass


e = E("m")
e.__dict__["info"] = 1
print(e.info, e.__dict__)
