# A builtin function stored on a class is not a descriptor: looked up on an instance it comes
# back as it is, not bound (CPython). A builtin type's method (a method descriptor) and a
# Python function do bind.
import math


class G:
    m = len
    s = math.sqrt
    r = object.__repr__

    def own(self):
        return "own"


g = G()
try:
    print(g.m())
except TypeError as e:
    print("TypeError:", e)
print(g.m([1, 2, 3]), g.s(16.0), G.m("ab"))
print(g.r()[:10], g.own())
print(g.m is len, G.__dict__["m"] is len, type(g.own).__name__)


def twice(x):
    return x * 2


class H:
    f = twice
    b = abs


h = H()
print(H.f(4), h.b(-5), type(h.f).__name__)
for _ in range(3):
    # The attribute cache: the same lookups several times from one call site.
    print(h.b(-1), g.m("xyz"), g.own())
try:
    h.f()
except TypeError as e:
    print("TypeError:", e)
