# Metaclasses: creation hooks, lookup through the metaclass, dunders on classes, checks.

class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        print("Meta.__new__", mcls.__name__, name, [b.__name__ for b in bases], sorted(k for k in ns if not k.startswith("__")), kw)
        cls = super().__new__(mcls, name, bases, ns)
        cls.created_by = "Meta"
        return cls

    def __init__(cls, name, bases, ns, **kw):
        print("Meta.__init__", name, kw)
        super().__init__(name, bases, ns)

    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("Meta.__prepare__", name, kw)
        d = {"injected": 42}
        return d

    def hello(cls):
        return "hello from " + cls.__name__

    @property
    def upper_name(cls):
        return cls.__name__.upper()

    def __len__(cls):
        return len(cls.__name__)

    def __iter__(cls):
        return iter(["a", "b", cls.__name__])

    def __getitem__(cls, k):
        return (cls.__name__, k)

    def __contains__(cls, x):
        return x == "yes"

    def __repr__(cls):
        return "<Meta class " + cls.__name__ + ">"

    def __or__(cls, other):
        return ("or", cls.__name__, other.__name__)

    def __bool__(cls):
        return cls.__name__ != "Falsy"

    meta_attr = "on the metaclass"


class A(metaclass=Meta, flag=1):
    x = 1

    def method(self):
        return "A.method"

print(type(A) is Meta, isinstance(A, Meta), isinstance(A, type), type(A).__name__)
print(A.created_by, A.injected, A.x, A.hello(), A.upper_name, A.meta_attr)
print(len(A), list(A), A["k"], "yes" in A, "no" in A, repr(A), str(A))
print(A | A, bool(A))
print(A().method(), hasattr(A(), "hello"), hasattr(A(), "meta_attr"))
print(A.__class__ is Meta, f"{A}")

class B(A):
    y = 2

print(type(B) is Meta, B.hello(), B.x, B.y)

class Falsy(A):
    pass

print(bool(Falsy), "truthy" if Falsy else "falsy")

# Metaclass conflict and derivation.
class Meta2(type):
    pass

class C(metaclass=Meta2):
    pass

try:
    class D(A, C):
        pass
except TypeError as e:
    print("TypeError:", e)

class SubMeta(Meta):
    pass

class E(A, metaclass=SubMeta):
    pass
print(type(E).__name__)

class F(metaclass=type):
    pass
print(type(F) is type)

# Singletons with __call__.
class Singleton(type):
    _instances = {}

    def __call__(cls, *args, **kw):
        if cls not in cls._instances:
            print("creating", cls.__name__, args, kw)
            cls._instances[cls] = super().__call__(*args, **kw)
        return cls._instances[cls]

class Config(metaclass=Singleton):
    def __init__(self, value, name="x"):
        self.value = value
        self.name = name

c1 = Config(1, name="first")
c2 = Config(2)
print(c1 is c2, c1.value, c2.name)
for _ in range(3):
    print(Config(5).value)

# Registry via __init__.
class Registry(type):
    registry = []

    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        if bases:
            Registry.registry.append(name)

class Plugin(metaclass=Registry):
    pass

class P1(Plugin):
    pass

class P2(Plugin):
    pass

print(Registry.registry)

# __instancecheck__ / __subclasscheck__.
class Duck(type):
    def __instancecheck__(cls, obj):
        return hasattr(obj, "quack")

    def __subclasscheck__(cls, sub):
        return hasattr(sub, "quack")

class Quacker(metaclass=Duck):
    pass

class Mallard:
    def quack(self):
        pass

print(isinstance(Mallard(), Quacker), isinstance(3, Quacker), issubclass(Mallard, Quacker), issubclass(int, Quacker))
print(isinstance(Quacker(), Quacker), isinstance(Mallard(), (int, Quacker)))

# type(name, bases, ns) with a metaclass base.
G = type("G", (A,), {"z": 3})
print(type(G) is Meta, G.z, G.hello())
H = Meta("H", (), {"w": 4})
print(type(H).__name__, H.w, H.created_by)

# __init_subclass__ with class keywords passed through the metaclass.
class KwMeta(type):
    def __new__(mcls, name, bases, ns, **kw):
        return super().__new__(mcls, name, bases, ns, **kw)

class Base(metaclass=KwMeta):
    def __init_subclass__(cls, tag=None, **kw):
        print("init_subclass", cls.__name__, tag)
        super().__init_subclass__(**kw)

class Derived(Base, tag="t1"):
    pass

# Metaclass method with the same name as a class attribute: the class's wins.
class M3(type):
    def name(cls):
        return "meta name"

class K(metaclass=M3):
    def name(self):
        return "instance name"

print(K.name(K()), K().name())

# __eq__/__hash__ on the metaclass.
class EqMeta(type):
    def __eq__(cls, other):
        return isinstance(other, EqMeta) and cls.key == other.key

    def __hash__(cls):
        return hash(cls.key)

class E1(metaclass=EqMeta):
    key = 1

class E2(metaclass=EqMeta):
    key = 1

print(E1 == E2, E1 != E2, hash(E1) == hash(1), len({E1, E2}))

# A function as the metaclass.
def fmeta(name, bases, ns):
    print("fmeta", name, sorted(k for k in ns if not k.startswith("__")))
    return 7

class NotAClass(metaclass=fmeta):
    q = 1

print(NotAClass)

# __prepare__ must return a mapping.
class BadPrep(type):
    @classmethod
    def __prepare__(mcls, name, bases):
        return 5

try:
    class X(metaclass=BadPrep):
        pass
except TypeError as e:
    print("TypeError:", e)

# A dict subclass as the namespace.
class NS(dict):
    pass

class NSMeta(type):
    @classmethod
    def __prepare__(mcls, name, bases):
        return NS(seed=1)

    def __new__(mcls, name, bases, ns):
        print(type(ns).__name__, sorted(k for k in ns if not k.startswith("__")))
        return super().__new__(mcls, name, bases, dict(ns))

class WithNS(metaclass=NSMeta):
    a = 1

print(WithNS.seed, WithNS.a)

# Metaclass attribute set through the class goes to the class.
A.extra = 5
print(A.extra, "extra" in A.__dict__)

# Changing the metaclass after classes exist.
Meta.late = lambda cls: "late " + cls.__name__
print(A.late(), B.late())

# super().__call__ and __new__ on the class itself.
class Counted(type):
    count = 0

    def __call__(cls, *a, **k):
        Counted.count += 1
        return super().__call__(*a, **k)

class WithNew(metaclass=Counted):
    def __new__(cls, v):
        o = super().__new__(cls)
        o.v = v * 2
        return o

print(WithNew(4).v, WithNew(5).v, Counted.count)
print(type.__call__(WithNew, 10).v)

# type.__new__ directly.
T = type.__new__(Meta, "T", (), {})
print(type(T).__name__, T.hello())

try:
    type.__new__(int, "T", (), {})
except TypeError as e:
    print("TypeError:", e)

# match class patterns use isinstance.
match Mallard():
    case Quacker():
        print("matched a quacker")
    case _:
        print("no match")

# __setattr__/__delattr__ on the metaclass guard the class's attributes.
class Frozen(type):
    def __setattr__(cls, name, value):
        if name.startswith("locked"):
            raise AttributeError(f"cannot reassign {name!r}")
        super().__setattr__(name, value)

    def __delattr__(cls, name):
        raise AttributeError(f"cannot delete {name!r}")

class Box(metaclass=Frozen):
    locked_value = 1

try:
    Box.locked_value = 2
except AttributeError as e:
    print("AttributeError:", e)
Box.free = 3
print(Box.locked_value, Box.free)
try:
    del Box.free
except AttributeError as e:
    print("AttributeError:", e)
print(Box.free)

# type.__subclasses__ lists direct subclasses.
print([c.__name__ for c in A.__subclasses__()], [c.__name__ for c in type.__subclasses__(Plugin)])

# A metaclass property with a setter.
class PropMeta(type):
    @property
    def size(cls):
        return cls._size

    @size.setter
    def size(cls, v):
        cls._size = v * 10

class Sized(metaclass=PropMeta):
    _size = 1

Sized.size = 4
print(Sized.size, Sized._size)

# reversed() through the metaclass.
class RevMeta(type):
    def __reversed__(cls):
        return iter(["z", "y"])

class R(metaclass=RevMeta):
    pass

print(list(reversed(R)))
