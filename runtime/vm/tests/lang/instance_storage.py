# Instance attribute storage: values held inside the instance up to a few, in a separate
# array beyond; growth, slots, __dict__ and deletion across that boundary.


class Grow:
    pass


def fill(o, n, tag):
    for i in range(n):
        setattr(o, "a%d" % i, (tag, i))


for n in range(0, 11):
    o = Grow()
    fill(o, n, "g")
    print(n, sorted(vars(o).items())[-1:] if n else vars(o))

# Later instances of a class whose instances grew start larger; earlier ones keep working.
early = Grow()
early.x = 1
for n in (3, 4, 5, 9):
    o = Grow()
    fill(o, n, n)
    print(len(vars(o)), getattr(o, "a%d" % (n - 1)))
early.y = 2
early.z = 3
early.w = 4
early.v = 5
print(vars(early))


class P:
    def __init__(self, a, b, c):
        self.a = a
        self.b = b
        self.c = c


ps = [P(i, i * 2, str(i)) for i in range(5)]
for p in ps:
    p.d = p.a + p.b
print([(p.a, p.b, p.c, p.d) for p in ps])
ps[0].e = "e"
ps[0].f = "f"
print(vars(ps[0]))
del ps[1].b
print(vars(ps[1]))
ps[1].b = "back"
print(vars(ps[1]))
del ps[2].a, ps[2].b, ps[2].c, ps[2].d
print(vars(ps[2]))
ps[2].z = 0
print(vars(ps[2]))
try:
    ps[3].missing
except AttributeError as e:
    print("AttributeError", e)


# __dict__ taken while the values are inline, then changed both ways.
q = P(1, 2, 3)
d = q.__dict__
d["x"] = 10
q.y = 20
print(q.x, d["y"], sorted(d))
del q.a
print(sorted(d), hasattr(q, "a"))
q.__dict__ = {"only": 1}
print(vars(q), hasattr(q, "b"))
for i in range(6):
    setattr(q, "k%d" % i, i)
print(sorted(vars(q)))


# __slots__ of several sizes, with and without a __dict__.
def slotted(n, with_dict):
    names = tuple("s%d" % i for i in range(n))
    if with_dict:
        names += ("__dict__",)
    return type("S%d%s" % (n, "d" if with_dict else ""), (), {"__slots__": names})


for n in (1, 3, 4, 5, 7):
    for with_dict in (False, True):
        cls = slotted(n, with_dict)
        o = cls()
        try:
            o.s0
        except AttributeError as e:
            print("unset:", e)
        for i in range(n):
            setattr(o, "s%d" % i, i * i)
        if with_dict:
            o.extra = "x"
            o.more = "y"
            print(cls.__name__, [getattr(o, "s%d" % i) for i in range(n)], vars(o))
        else:
            try:
                o.extra = 1
            except AttributeError as e:
                print("no dict:", e)
            print(cls.__name__, [getattr(o, "s%d" % i) for i in range(n)])
        del o.s0
        print(hasattr(o, "s0"), getattr(o, "s%d" % (n - 1), "gone"))


class Sub(P):
    __slots__ = ("s",)

    def __init__(self):
        super().__init__(1, 2, 3)
        self.s = "slot"
        self.t = "dict"


s = Sub()
print(s.s, s.t, vars(s))


# Exceptions and plain objects carry attributes too.
class E(Exception):
    def __init__(self, *args):
        super().__init__(*args)
        for i in range(6):
            setattr(self, "e%d" % i, i)


try:
    raise E("boom", 1)
except E as e:
    print(e.args, e.e0, e.e5, sorted(vars(e)))


class WithNew:
    def __new__(cls, *a):
        o = object.__new__(cls)
        o.made = a
        return o

    def __init__(self, *a):
        self.inited = len(a)


w = WithNew(1, 2)
print(vars(w))

objs = [P(i, [i], {i: i}) for i in range(200)]
print(sum(o.a for o in objs), objs[-1].b, objs[-1].c)
del objs
print("done")
