# LOAD_ATTR cache hits in every shape the hit path distinguishes: the instance on the stack
# shared or its last reference (a temporary), attribute and method forms, instance values,
# class values, functions and callables stored on the instance; each site warmed by a loop
# so the later runs are cache hits.


class P:
    kind = "point"

    def __init__(self, x):
        self.x = x
        self.me = self
        self.f = len

    def norm(self):
        return self.x * 2


class Q(P):
    pass


def temporaries(n):
    out = []
    for i in range(n):
        # The instance exists only on the stack while its attribute is read.
        out.append(P(i).x + P(i).norm() + len(P(i).kind))
        # An attribute that refers back to the instance itself.
        out.append(P(i).me.me.x)
        # A callable stored on the instance, called through the method form.
        out.append(P(i).f("abc"))
    return out


def shared(objs):
    total = 0
    for o in objs:
        total += o.x + o.norm() + len(o.kind) + o.me.x + o.f([1, 2])
    return total


def nested_args(o):
    # Method loads deep in an expression, with several values already on the stack.
    return (o.x, (o.x, (o.norm(), (o.me.norm(), o.kind))))


r = temporaries(50)
print(len(r), sum(r), r[:6])
objs = [P(i) if i % 3 else Q(i) for i in range(60)]
print(shared(objs))
print(shared(objs[::-1]))
for i in range(30):
    last = nested_args(objs[i])
print(last)
o = P(7)
del o.me
try:
    for i in range(3):
        o.me
except AttributeError as e:
    print("AttributeError", e)
o.me = 5
print(o.me, P(1).me is not None)
