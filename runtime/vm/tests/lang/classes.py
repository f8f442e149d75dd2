# Classes: methods, inheritance, super(), class attributes, dunders, slots, properties,
# classmethod/staticmethod, isinstance/issubclass.
class Animal:
    kind = "animal"
    count = 0

    def __init__(self, name):
        self.name = name
        Animal.count += 1

    def speak(self):
        return f"{self.name} makes a sound"

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"

    def __str__(self):
        return self.name


class Dog(Animal):
    kind = "dog"

    def speak(self):
        return super().speak() + " (woof)"


d = Dog("rex")
a = Animal("generic")
print(d.speak(), a.speak())
print(repr(d), str(d), d.kind, Animal.kind, Animal.count)
print(isinstance(d, Animal), isinstance(a, Dog), issubclass(Dog, Animal), issubclass(bool, int))
print(Dog.__mro__)
print(Dog.__name__, Dog.__qualname__, type(d) is Dog)


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return (self.x, self.y)[i]

    def __iter__(self):
        yield self.x
        yield self.y

    def __contains__(self, v):
        return v in (self.x, self.y)

    def __call__(self, k):
        return self.x * k

    def __bool__(self):
        return bool(self.x or self.y)

    def __repr__(self):
        return "Vec(%d, %d)" % (self.x, self.y)


v = Vec(1, 2) + Vec(3, 4)
print(v, v - Vec(1, 1), v * 2, 3 * v, -v, v == Vec(4, 6), v != Vec(4, 6))
print(len(v), v[0], v[-1], list(v), 6 in v, 7 in v, v(10), bool(Vec(0, 0)))
print(sorted([Vec(3, 1), Vec(1, 2), Vec(1, 1)]), {Vec(1, 1): "a"}[Vec(1, 1)])
try:
    v.z = 3
except AttributeError as e:
    print("AttributeError:", e)


class Temp:
    def __init__(self):
        self._c = 0

    @property
    def c(self):
        return self._c

    @c.setter
    def c(self, value):
        if value < -273:
            raise ValueError("too cold")
        self._c = value

    @classmethod
    def make(cls):
        return cls()

    @staticmethod
    def helper(x):
        return x * 2


t = Temp.make()
t.c = 25
print(t.c, Temp.helper(4), t.helper(5))
try:
    t.c = -300
except ValueError as e:
    print("ValueError:", e)


class Base:
    def __init__(self):
        self.log = ["Base"]


class Left(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Left")


class Right(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Right")


class Both(Left, Right):
    def __init__(self):
        super().__init__()
        self.log.append("Both")


print(Both().log, [c.__name__ for c in Both.__mro__])


class Ctx:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None, v)
        return True


with Ctx() as c:
    print("body")
    raise KeyError("k")
print("after with")
print(hasattr(t, "c"), getattr(t, "nope", "default"))
setattr(t, "extra", 1)
print(t.extra, vars(t) if False else sorted(t.__dict__))
class Empty:
    pass
e = Empty()
print(type(e).__name__, isinstance(e, object))
try:
    e.missing
except AttributeError as ex:
    print(ex)
