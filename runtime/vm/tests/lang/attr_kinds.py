# The kinds of LOAD_ATTR/STORE_ATTR cache entries and the hit paths that read them without
# tests: attributes outside `__slots__` (always set while the shape holds), `__slots__`
# slots (possibly unset), and the method form's hits other than a function on the class
# (a callable stored on the instance, plain class values, static and class methods), each
# site warmed by a loop so later passes are cache hits. Also stores that displace the last
# reference to a value, and the same sites after the instance's names change.


class S:
    __slots__ = ("a", "b")


def read_a(objs):
    out = []
    for o in objs:
        try:
            out.append(o.a)
        except AttributeError as e:
            out.append("AttributeError: " + str(e))
    return out


s1, s2 = S(), S()
s1.a = 1
print(read_a([s1, s1, s1, s2, s1]))
s2.a = 2
print(read_a([s2, s1, s2]))
del s1.a
print(read_a([s2, s1, s2, s1]))
s1.a = "back"
print(read_a([s1, s2]))


class D:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def read_xy(objs):
    out = []
    for o in objs:
        try:
            out.append((o.x, o.y))
        except AttributeError as e:
            out.append("AttributeError: " + str(e))
    return out


d1, d2 = D(1, 2), D(3, 4)
print(read_xy([d1, d2, d1, d2]))
del d1.x
print(read_xy([d2, d1, d2]))
d1.x = 10
print(read_xy([d1, d2]))
d1.__dict__["y"] = 20
print(read_xy([d1, d2, d1]))
del d2.y
d2.y = 40
print(read_xy([d2, d1, d2]))


class SD:
    __slots__ = ("s", "__dict__")


def read_sd(objs):
    out = []
    for o in objs:
        try:
            out.append((o.s, o.t))
        except AttributeError as e:
            out.append("AttributeError: " + str(e))
    return out


x1, x2 = SD(), SD()
x1.s, x1.t = 1, 2
print(read_sd([x1, x1, x2]))
x2.t = 5
print(read_sd([x2, x1]))
x2.s = 6
print(read_sd([x2, x1, x2]))


def twice(v):
    return v * 2


class M:
    k = 7
    fn = staticmethod(twice)
    name = "m"

    def __init__(self):
        self.cb = twice

    def meth(self, v):
        return v + 1

    @classmethod
    def cm(cls, v):
        return cls.__name__ + str(v)


class M2(M):
    def meth(self, v):
        return v - 1


def calls(objs):
    out = []
    for o in objs:
        out.append((o.meth(1), o.cb(2), o.fn(3), o.cm(4), o.name.upper(), o.k.bit_length()))
    return out


m, m2 = M(), M2()
print(calls([m, m2, m, m2, m]))
m.meth = lambda v: "instance " + str(v)
print(calls([m, m2]))
del m.meth
M.fn = staticmethod(len)
print([o.fn("abc") for o in (m, m2, m)])
M.fn = staticmethod(twice)
M.meth = lambda self, v: "class " + str(v)
print(calls([m, m2, m]))


class Box:
    def __init__(self):
        self.v = [0]


def churn(b, n):
    # Each store replaces a list nothing else holds: the displaced value's last reference.
    for i in range(n):
        b.v = [i, i]
        b.v = (i, str(i))
        b.v = i
        b.v = "s" + str(i)
    return b.v


b = Box()
print(churn(b, 20))
keep = []
for i in range(5):
    b.v = [i]
    keep.append(b.v)
print(keep, b.v)


class Temp:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v


def temps(n):
    out = 0
    for i in range(n):
        out += Temp(i).v + Temp(i).get()
        t = Temp([i])
        t.v = i
        out += t.v
    return out


print(temps(30))
