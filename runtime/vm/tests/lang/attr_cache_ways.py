# Attribute caches at polymorphic sites: one LOAD_ATTR / STORE_ATTR instruction sees
# instances of several classes (more than the entries it remembers), in both LOAD_ATTR
# forms, and one class changes while the others' answers stay cached.


def section(name):
    print("--", name)


class Base:
    kind = "base"

    def __init__(self, n):
        self.n = n
        self.tag = n * 10

    def m(self):
        return ("Base.m", self.n)


class A(Base):
    def m(self):
        return ("A.m", self.n)


class B(Base):
    kind = "b"


class C(Base):
    __slots__ = ("extra",)

    def __init__(self, n):
        Base.__init__(self, n)
        self.extra = -n


class D(Base):
    @property
    def tag(self):
        return "D.tag property"

    @tag.setter
    def tag(self, v):
        self._tag = v


class E(Base):
    def m(self):
        return ("E.m", self.n, self.kind)


class F(Base):
    m = staticmethod(lambda: ("F.m static",))


def read(o):
    return (o.n, o.tag, o.kind)


def call(o):
    return o.m()


def write(o, v):
    o.n = v


def show(objs, rounds=3):
    for _ in range(rounds):
        out = [read(o) for o in objs]
    print(out)
    try:
        print([call(o) for o in objs])
    except TypeError as e:
        print("TypeError", e)


section("up to seven classes through the same instructions")
objs = [cls(i) for i, cls in enumerate([Base, A, B, C, D, E, F], 1)]
for _ in range(5):
    show(objs)
for o in objs:
    write(o, o.n + 100)
show(objs)

section("a function stored on one instance shadows the class's method")
a1, a2 = A(1), A(2)
for _ in range(4):
    print(call(a1), call(a2))
a1.m = lambda: ("instance m",)
for _ in range(2):
    print(call(a1), call(a2))
del a1.m
print(call(a1), call(a2))

section("an instance attribute shadows a class attribute, then is deleted")
b1 = B(3)
for _ in range(4):
    r = read(b1)
print(r)
b1.kind = "instance kind"
print(read(b1), read(B(4)))
del b1.kind
print(read(b1))
del b1.n
try:
    read(b1)
except AttributeError as e:
    print("AttributeError", e)
b1.n = 33
print(read(b1))

section("one class changes while the others stay cached")
objs = [Base(1), A(2), B(3), E(5)]
for _ in range(4):
    show(objs, 1)
A.m = lambda self: ("new A.m", self.n)
B.kind = "changed b"
show(objs, 1)
del A.m
Base.kind = "changed base"
show(objs, 1)

section("a method replaced by a property and back")
e = E(7)
for _ in range(4):
    call(e)
E.m = property(lambda self: (lambda: ("from property", self.n)))
print(call(e))
del E.m
print(call(e))

section("the instance's last reference is the stack")
for _ in range(4):
    print(A(11).m(), B(12).kind, C(13).extra, Base(14).tag)

section("stores at a polymorphic site, slots and dicts mixed")
objs = [Base(1), C(2), D(3), B(4), A(5), E(6)]
for r in range(3):
    for o in objs:
        o.tag = (r, o.n)
print([o.tag for o in objs], [o._tag for o in objs if isinstance(o, D)])
for o in objs:
    if isinstance(o, C):
        del o.extra
        try:
            o.extra
        except AttributeError as err:
            print("AttributeError", err)
        o.extra = "back"
        print(o.extra)

section("many shapes of one class at one site")
def make(k):
    o = Base(k)
    for j in range(k % 6):
        setattr(o, "a%d" % j, j)
    return o

objs = [make(k) for k in range(12)]
for _ in range(3):
    total = 0
    for o in objs:
        total += o.n + o.tag
        o.n = o.n + 1
print(total, [o.n for o in objs][:6])
