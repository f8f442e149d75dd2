# hash() through a user __hash__ on a class and on a metaclass: CPython's reduction of the
# result (-1 becomes -2, big ints fold, bools count as ints), its errors, and __hash__ = None.

class H:
    def __init__(self, r):
        self.r = r

    def __hash__(self):
        return self.r

for r in (-1, -2, 0, 7, True, False, 2**61 - 1, 2**61, 2**64 + 5, -(2**70), 10**30):
    print(repr(r), hash(H(r)))

for bad in ("x", 1.5, None):
    try:
        hash(H(bad))
    except TypeError as e:
        print(type(e).__name__, e)

class Unhashable:
    __hash__ = None

try:
    hash(Unhashable())
except TypeError as e:
    print(e)

class Plain:
    pass

p = Plain()
print(hash(p) == hash(p), {p: 1}[p])

class M(type):
    def __hash__(cls):
        return cls.h

class A(metaclass=M):
    h = -1

class B(metaclass=M):
    h = 2**100

print(hash(A), hash(B))

class MN(type):
    __hash__ = None

class C(metaclass=MN):
    pass

try:
    hash(C)
except TypeError as e:
    print(e)

class MS(type):
    def __hash__(cls):
        return "no"

class D(metaclass=MS):
    pass

try:
    {D: 1}
except TypeError as e:
    print(e)
