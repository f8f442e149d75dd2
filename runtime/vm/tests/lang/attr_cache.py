# Instance attribute layout and attribute caches: every case first warms a code path
# (the same instruction runs many times), then changes something the cached answer depended
# on, and checks the next runs see the change.


def section(name):
    print("--", name)


def get_x(o):
    return o.x


def set_x(o, v):
    o.x = v


def call_m(o):
    return o.m()


section("class attribute shadowed later by an instance attribute")


class A:
    x = "class"

    def m(self):
        return "A.m"


a = A()
print([get_x(a) for _ in range(5)])
a.x = "inst"
print([get_x(a) for _ in range(3)], get_x(A()))
print([call_m(a) for _ in range(3)])
a.m = lambda: "inst m"
print([call_m(a) for _ in range(3)], call_m(A()))
del a.m
print(call_m(a))

section("method replaced on the class after warm-up")
print([call_m(A()) for _ in range(5)])
A.m = lambda self: "new A.m"
print(call_m(A()), call_m(a))
del A.m
try:
    call_m(A())
except AttributeError as e:
    print("AttributeError:", e)

section("method added to a base after the subclass warmed up")


class Base:
    pass


class Sub(Base):
    def __init__(self):
        self.x = 1


s = Sub()
print([get_x(s) for _ in range(5)])
Base.m = lambda self: "Base.m"
print(call_m(s))
Sub.m = lambda self: "Sub.m"
print(call_m(s))
del Sub.m
print(call_m(s))

section("property added to a base after warm-up (load and store)")
for _ in range(5):
    set_x(s, 2)
print([get_x(s) for _ in range(5)])


def getx(self):
    return "prop get"


def setx(self, v):
    print("prop set", v)


Base.x = property(getx, setx)
print(get_x(s))
set_x(s, 3)
print(get_x(s))
del Base.x
print(get_x(s))

section("data descriptor class added to a base later")


class Desc:
    def __get__(self, obj, typ=None):
        return "desc get"

    def __set__(self, obj, v):
        print("desc set", v)


Base.x = Desc()
print(get_x(s))
set_x(s, 4)
del Base.x
print(get_x(s))

section("non-data descriptor on the class: instance value wins")


class NonData:
    def __get__(self, obj, typ=None):
        return "nondata get"


class C:
    y = NonData()


c = C()
print(c.y)
c.y = "inst y"
print(c.y)
del c.y
print(c.y)

section("deleting instance attributes")


class P:
    def __init__(self, a, b, c):
        self.a = a
        self.b = b
        self.c = c


ps = [P(i, i * 2, i * 3) for i in range(4)]


def get_b(o):
    return o.b


print([get_b(p) for p in ps])
del ps[1].b
try:
    get_b(ps[1])
except AttributeError as e:
    print("AttributeError:", e)
print([get_b(p) for p in ps if hasattr(p, "b")])
ps[1].b = "again"
print(get_b(ps[1]), ps[1].__dict__)
del ps[2].a
ps[2].a = "A"
print(ps[2].__dict__, vars(ps[3]))
try:
    del ps[0].zz
except AttributeError as e:
    print("AttributeError:", e)

section("insertion order differs between instances of one class")


class Q:
    pass


q1 = Q()
q1.a = 1
q1.b = 2
q2 = Q()
q2.b = 3
q2.a = 4
q3 = Q()
q3.c = 5


def get_a(o):
    return o.a


print(q1.__dict__, q2.__dict__, q3.__dict__)
print([get_a(o) for o in (q1, q2, q1, q2)])
try:
    get_a(q3)
except AttributeError as e:
    print("AttributeError:", e)
print(dir(q2)[-2:])

section("many attributes on one instance")


class Many:
    pass


m = Many()
for i in range(100):
    setattr(m, "a%d" % i, i)
print(len(m.__dict__), m.a0, m.a57, m.a99, list(m.__dict__)[:3], list(m.__dict__)[-2:])
for i in range(0, 100, 2):
    delattr(m, "a%d" % i)
print(len(m.__dict__), m.a1, hasattr(m, "a2"), list(m.__dict__)[:3])
m.a2 = "back"
print(list(m.__dict__)[-2:], m.a2)

section("many shapes at one instruction")


def make(k):
    o = Q()
    for j in range(k):
        setattr(o, "f%d" % ((j * 7 + k) % 11), j)
    o.last = k
    return o


objs = [make(k) for k in range(12)]


def get_last(o):
    return o.last


print([get_last(o) for o in objs] * 1 == [get_last(o) for o in objs])
print([get_last(o) for o in objs])

section("__slots__")


class S:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


class S2(S):
    __slots__ = ("c",)


def get_a_s(o):
    return o.a


def get_bb(o):
    return o.b


objs = [S() for _ in range(5)]
print([get_a_s(o) for o in objs])
try:
    get_bb(objs[0])
except AttributeError as e:
    print("AttributeError:", e)
objs[0].b = "b0"
print(get_bb(objs[0]))
del objs[0].a
try:
    get_a_s(objs[0])
except AttributeError as e:
    print("AttributeError:", e)
try:
    del objs[0].a
except AttributeError as e:
    print("AttributeError:", e)
try:
    objs[1].zz = 1
except AttributeError as e:
    print("AttributeError:", e)
s2 = S2()
s2.c = 3
s2.b = 2
print(get_a_s(s2), get_bb(s2), s2.c)
try:
    s2.d = 1
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(objs[1], "__dict__"), hasattr(S(), "b"))


class WithDict:
    __slots__ = ("a", "__dict__")


w = WithDict()
w.a = 1
w.other = 2
print(w.a, w.other, w.__dict__)


class NoSlotsSub(S):
    pass


n = NoSlotsSub()
n.extra = "e"
n.b = "bb"
print(n.a, n.b, n.extra, n.__dict__)

section("__getattr__ added to a class after warm-up")


class G:
    def __init__(self):
        self.x = "real"


g = G()


def get_y(o):
    return o.y


for _ in range(3):
    try:
        get_y(g)
    except AttributeError as e:
        print("AttributeError:", e)
G.__getattr__ = lambda self, name: "getattr " + name
print(get_y(g), get_x(g))
del G.__getattr__
try:
    get_y(g)
except AttributeError as e:
    print("AttributeError:", e)

section("__setattr__ added to a class after warm-up")


class H:
    pass


h = H()
for i in range(5):
    set_x(h, i)
print(get_x(h))


def logging_setattr(self, name, value):
    print("setattr", name, value)
    object.__setattr__(self, name, value * 10)


H.__setattr__ = logging_setattr
set_x(h, 7)
print(get_x(h))
del H.__setattr__
set_x(h, 8)
print(get_x(h))

section("class attribute changes seen through instances")


class K:
    counter = 0


k = K()


def get_counter(o):
    return o.counter


vals = []
for i in range(5):
    K.counter = i
    vals.append(get_counter(k))
print(vals)
k.counter = "own"
K.counter = 99
print(get_counter(k), get_counter(K()))

section("same code, different classes")


class X1:
    def __init__(self):
        self.v = "X1"

    def m(self):
        return "X1.m"


class X2:
    def __init__(self):
        self.w = 0
        self.v = "X2"

    def m(self):
        return "X2.m"


class X3(X1):
    v = "X3 class"

    def m(self):
        return "X3.m"


def get_v(o):
    return o.v


xs = [X1(), X2(), X3(), X2(), X1(), X3()]
print([get_v(o) for o in xs], [call_m(o) for o in xs])

section("exceptions as instances")


class MyErr(Exception):
    def __init__(self, msg):
        super().__init__(msg)
        self.code = 42


try:
    raise MyErr("boom")
except MyErr as e:
    print(e.code, e.args, str(e))
    e.code = 43
    e.extra = "x"
    print(e.code, e.extra, sorted(e.__dict__))

section("object() and classes without attributes")
o = object()
try:
    o.x = 1
except AttributeError as e:
    print("AttributeError:", e)


class Empty:
    pass


print(Empty().__dict__)
e1 = Empty()
e1.__dict__
e1.z = 1
print(e1.__dict__)

section("stores that add names, at warmed-up sites")


class R:
    pass


def grow(o, n):
    if n > 0:
        o.a = n
    if n > 1:
        o.b = n
    if n > 2:
        o.c = n
    if n > 3:
        o.d = n
    return o


rs = [grow(R(), n % 5) for n in range(20)]
print([sorted(vars(r).items()) for r in rs[:5]])
for r in rs:
    if hasattr(r, "b"):
        del r.b
print([list(vars(r)) for r in rs[:5]])
rs = [grow(r, 4) for r in rs]
print([list(vars(r)) for r in rs[:5]])
print(sum(r.a + r.b + r.c + r.d for r in rs))


class Big:
    pass


def fill(o, names):
    for nm in names:
        setattr(o, nm, len(nm))
    o.tail = "t"
    return o.tail


bigs = [Big() for _ in range(3)]
print([fill(b, ["n%d" % i for i in range(40)]) for b in bigs], len(vars(bigs[0])))
del bigs[1].n3
print(fill(bigs[1], ["n3"]), list(vars(bigs[1]))[-2:], bigs[1].n39)

section("__init__ and __new__ changed after instances were made")


class Made:
    def __init__(self, v):
        self.v = v


class MadeSub(Made):
    pass


print([MadeSub(i).v for i in range(3)])
Made.__init__ = lambda self, v: setattr(self, "v", v * 10)
print([MadeSub(i).v for i in range(3)])


def made_new(cls, v):
    o = object.__new__(cls)
    o.tag = "new"
    return o


Made.__new__ = made_new
m = MadeSub(4)
print(m.v, m.tag)
MadeSub.__init__ = lambda self, v: setattr(self, "v", -v)
print([(MadeSub(i).v, MadeSub(i).tag) for i in range(3)], Made(7).v)
