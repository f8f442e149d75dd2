# Class calls whose __init__ binds from the caller's stack with keywords, defaults and
# keyword-only parameters, and the cases that must keep CPython's behaviour: errors naming
# __init__, __init__ returning a value, a Python __new__, subclasses, __init__ replaced
# after the first call, exceptions raised inside. Expected output from CPython 3.13.
class P:
    def __init__(self, x, y=0, *, z=1):
        self.x, self.y, self.z = x, y, z

    def __repr__(self):
        return "P(%r, %r, %r)" % (self.x, self.y, self.z)


class Q(P):
    pass


class R(P):
    def __init__(self, a, *rest, **kw):
        super().__init__(a, *rest, **kw)
        self.kind = "R"


class Ret:
    def __init__(self, v=1):
        return v


class New:
    def __new__(cls, *a, **k):
        print("new", a, sorted(k.items()))
        return super().__new__(cls)

    def __init__(self, a, b=2):
        print("init", a, b)


class Other:
    def __new__(cls, a=0):
        return 42

    def __init__(self, a=0):
        print("never")


def show(label, fn):
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError:", e)


show("p1", lambda: P(1))
show("p2", lambda: P(1, 2))
show("p3", lambda: P(1, z=3))
show("p4", lambda: P(x=4, y=5, z=6))
show("p5", lambda: P())
show("p6", lambda: P(1, x=2))
show("p7", lambda: P(1, w=2))
show("p8", lambda: P(1, 2, 3))
show("q1", lambda: Q(7, z=8))
show("q2", lambda: Q(y=1))
show("r1", lambda: (R(1, 2, z=3), R(1).kind))
show("ret1", lambda: type(Ret(v=None)).__name__)
show("ret2", lambda: Ret(v=5))
show("ret3", lambda: Ret(5))
show("new1", lambda: type(New(1, b=3)).__name__)
show("new2", lambda: type(New(a=1)).__name__)
show("oth1", lambda: Other(a=1))


def init2(self, x, *, y=9):
    self.x, self.y, self.z = x, y, "new"


show("p9", lambda: P(1, z=2))
P.__init__ = init2
show("p10", lambda: P(1, y=2))
show("p11", lambda: P(1, z=2))
show("q3", lambda: Q(3))


class Boom:
    def __init__(self, n, *, fail=True):
        if fail:
            raise ValueError("boom %d" % n)


try:
    Boom(1)
except ValueError as e:
    print("caught", e)
print(type(Boom(2, fail=False)).__name__)
Boom(3, fail=True)
