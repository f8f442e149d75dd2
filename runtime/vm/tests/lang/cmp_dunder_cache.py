# Rich comparisons on instances through the per-class dunder cache: every change CPython
# would see (class attribute assignment and deletion, a base's change, a subclass's
# reflected method, NotImplemented, instance attributes that must not count) is seen.
class A:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v < o.v

class B(A):
    pass

def lt(x, y):
    return x < y

def show(f, *args):
    try:
        print(f(*args))
    except TypeError as e:
        print("TypeError", e)

a, b = A(1), A(2)
for _ in range(3):
    show(lt, a, b)
A.__lt__ = lambda s, o: "patched"
show(lt, a, b)
show(lt, B(1), B(2))
del A.__lt__
show(lt, a, b)
show(lt, B(1), B(2))
A.__lt__ = lambda s, o: "base again"
show(lt, B(1), B(2))
B.__lt__ = lambda s, o: "sub"
show(lt, B(1), B(2))
show(lt, a, B(2))
del B.__lt__
show(lt, a, B(2))

# Reflected first when the right operand's class is a subclass overriding the reflection.
class C(A):
    def __gt__(self, o):
        return "C.__gt__"
show(lt, a, C(3))
show(lt, C(3), a)
C.__gt__ = lambda s, o: NotImplemented
show(lt, a, C(3))

# An instance attribute named like the dunder is not used by the operator.
x = A(5)
x.__lt__ = lambda o: "instance"
show(lt, x, A(6))
print(x.__lt__(1))

# NotImplemented from both sides: a TypeError; then the other side answers.
class N:
    def __lt__(self, o):
        return NotImplemented
    def __gt__(self, o):
        return NotImplemented
for _ in range(2):
    show(lt, N(), N())
N.__gt__ = lambda s, o: "N.__gt__"
show(lt, N(), N())

# == and != fall back on __eq__ and identity; a changed __eq__ is seen by !=.
class E:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return isinstance(o, E) and self.v == o.v
def ne(x, y):
    return x != y
def eq(x, y):
    return x == y
e1, e2 = E(1), E(1)
for _ in range(2):
    print(eq(e1, e2), ne(e1, e2), eq(e1, E(2)), ne(e1, E(2)))
E.__eq__ = lambda s, o: False
print(eq(e1, e2), ne(e1, e2), eq(e1, e1), ne(e1, e1))
E.__ne__ = lambda s, o: "ne"
print(ne(e1, e2))
del E.__eq__
print(eq(e1, e2), eq(e1, e1), ne(e1, e2))

# A base's dunder added after its subclass's instances were compared.
class P:
    pass
class Q(P):
    pass
show(lt, Q(), Q())
P.__lt__ = lambda s, o: "P added"
show(lt, Q(), Q())
for op in ["__le__", "__gt__", "__ge__"]:
    setattr(P, op, lambda s, o, op=op: op)
q1, q2 = Q(), Q()
print(q1 <= q2, q1 > q2, q1 >= q2, q1 < q2)

# Sorting uses the same comparisons.
class K:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v < o.v
    def __repr__(self):
        return f"K({self.v})"
ks = [K(3), K(1), K(2)]
print(sorted(ks), min(ks), max(ks))
K.__lt__ = lambda s, o: s.v > o.v
print(sorted(ks), min(ks), max(ks))
