# Property reads at one site as the class changes under it: replaced, deleted, shadowed
# by a subclass, a getter that raises, a builtin getter, instances of several shapes, a
# getter that changes the instance's shape.
class A:
    def __init__(self, v):
        self.v = v
    @property
    def p(self):
        return self.v + 1

class B(A):
    @property
    def p(self):
        return "B" + str(self.v)

def read(o):
    try:
        return o.p
    except Exception as e:
        return type(e).__name__ + ": " + str(e)

a, b = A(1), B(2)
odd = A(5)
odd.extra = 1
for step in range(4):
    print(step, read(a), read(b), read(odd))
    if step == 0:
        A.p = property(lambda self: self.v * 100)
    elif step == 1:
        del A.p
        a.p = "plain"
    elif step == 2:
        A.p = property(lambda self: "again")
print(read(A(7)), read(b))
class C:
    p = property(len)
    def __len__(self):
        return 42
class D:
    @property
    def p(self):
        raise KeyError("getter")
for o in [C(), D(), C(), D()]:
    print(type(o).__name__, read(o))
A.p = property(lambda self: self.v - 1)
objs = [A(i) for i in range(3)]
objs[1].w = 9
objs[2].z = 8
print([read(o) for o in objs * 2])
class F:
    @property
    def p(self):
        self.count = getattr(self, "count", 0) + 1
        return self.count
f = F()
print([read(f) for _ in range(4)])
