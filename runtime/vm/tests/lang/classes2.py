# More class behaviour: reflected/in-place operators, NotImplemented, super() in classmethods and properties, MRO chains, decorators.
class Money:
    def __init__(self, c): self.c = c
    def __add__(self, o):
        if isinstance(o, Money): return Money(self.c + o.c)
        if isinstance(o, int): return Money(self.c + o)
        return NotImplemented
    __radd__ = __add__
    def __iadd__(self, o):
        self.c += o.c if isinstance(o, Money) else o
        return self
    def __eq__(self, o): return isinstance(o, Money) and self.c == o.c
    def __hash__(self): return hash(self.c)
    def __repr__(self): return f"Money({self.c})"
    def __getitem__(self, k):
        if isinstance(k, slice): return ("slice", k.start, k.stop, k.step)
        return k
print(sum([Money(1), Money(2)]), 5 + Money(1), Money(3) == Money(3), Money(1) == 1, Money(2)[1:5:2], Money(0)["k"])
m = Money(1); m += 4; m += Money(5); print(m)
try:
    Money(1) + "x"
except TypeError as e:
    print(e)
class Base:
    registry = []
    @classmethod
    def create(cls, *a):
        obj = cls(*a); Base.registry.append(cls.__name__); return obj
    @property
    def kind(self): return "base"
class Child(Base):
    def __init__(self, v=0): self.v = v
    @property
    def kind(self): return "child:" + super().kind
    @classmethod
    def create(cls, *a):
        o = super().create(*a); o.extra = True; return o
c = Child.create(3)
print(c.kind, c.v, c.extra, Base.registry, Child.__bases__, Child.__base__)
def decorate(cls):
    cls.decorated = True
    return cls
@decorate
class D: pass
print(D.decorated, D().decorated)
class A1:
    def who(self): return "A1"
class B1(A1):
    def who(self): return "B1>" + super().who()
class C1(A1):
    def who(self): return "C1>" + super().who()
class E1(B1, C1):
    def who(self): return "E1>" + super().who()
print(E1().who(), [k.__name__ for k in E1.mro()])
class Temp:
    def __init__(self): self._t = 0
    def _get(self): return self._t
    def _set(self, v): self._t = v * 2
    t = property(_get, _set)
tt = Temp(); tt.t = 21; print(tt.t)
class WithStr(Exception):
    def __str__(self): return "custom!"
print(str(WithStr()), repr(WithStr("a")))
class Lazy:
    def __getattr__(self, n):
        if n.startswith("x"): return n * 2
        raise AttributeError(n)
print(Lazy().xy, hasattr(Lazy(), "yy"), getattr(Lazy(), "yy", "dflt"))
class Cmp:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v < o.v
    def __repr__(self): return f"C{self.v}"
print(sorted([Cmp(3), Cmp(1), Cmp(2)]), max(Cmp(1), Cmp(5)), min([Cmp(4), Cmp(2)]))
try:
    Cmp(1) > 3
except TypeError as e:
    print(e)
class Cnt:
    count = 0
    def __init__(self): type(self).count += 1
Cnt(); Cnt()
print(Cnt.count, Cnt().count)
print(type(object()).__name__, isinstance(Child, type), type(Child).__name__, Child.__module__, Child.__qualname__)
class Outer:
    class Inner:
        pass
print(Outer.Inner.__qualname__, repr(Outer.Inner)[:30])
