# abc: ABCMeta, ABC, abstractmethod, register, __subclasshook__.
from abc import ABC, ABCMeta, abstractmethod


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...

    @abstractmethod
    def perimeter(self):
        ...

    def describe(self):
        return f"{type(self).__name__} with area {self.area()}"


class Square(Shape):
    def __init__(self, s):
        self.s = s

    def area(self):
        return self.s * self.s

    def perimeter(self):
        return 4 * self.s


class Half(Shape):
    def area(self):
        return 0


for cls in (Shape, Half):
    try:
        cls()
    except TypeError as e:
        print("TypeError:", e)

sq = Square(3)
print(sq.describe(), sq.perimeter(), isinstance(sq, Shape), issubclass(Square, Shape))
print(sorted(Shape.__abstractmethods__), sorted(Half.__abstractmethods__), Square.__abstractmethods__)
print(type(Shape) is ABCMeta, type(Square).__name__, isinstance(Shape, ABCMeta))


# Abstract properties, classmethods, staticmethods.
class Base(metaclass=ABCMeta):
    @property
    @abstractmethod
    def name(self):
        ...

    @classmethod
    @abstractmethod
    def make(cls):
        ...

    @staticmethod
    @abstractmethod
    def helper():
        ...


print(sorted(Base.__abstractmethods__))


class Impl(Base):
    name = "impl"

    @classmethod
    def make(cls):
        return cls()

    @staticmethod
    def helper():
        return 1


print(Impl.make().name, Impl.helper())


# A __new__ that calls object.__new__ is refused too.
class WithNew(ABC):
    def __new__(cls):
        return super().__new__(cls)

    @abstractmethod
    def f(self):
        ...


try:
    WithNew()
except TypeError as e:
    print("TypeError:", e)


# Virtual subclasses.
class Drawable(ABC):
    pass


class Circle:
    pass


print(isinstance(Circle(), Drawable), issubclass(Circle, Drawable))
r = Drawable.register(Circle)
print(r is Circle, isinstance(Circle(), Drawable), issubclass(Circle, Drawable))
print(Drawable in Circle.__mro__)


@Drawable.register
class Line:
    pass


print(isinstance(Line(), Drawable))


class SubCircle(Circle):
    pass


print(issubclass(SubCircle, Drawable), isinstance(3, Drawable))
Drawable.register(int)
print(isinstance(3, Drawable), isinstance(True, Drawable), issubclass(bool, Drawable))

try:
    Drawable.register(5)
except TypeError as e:
    print("TypeError:", e)


class Child(Drawable):
    pass


try:
    Child.register(Drawable)
except RuntimeError as e:
    print("RuntimeError:", e)


# Registering on a parent ABC covers its subclasses' checks? (no: only the ABC and above)
class Parent(ABC):
    pass


class Kid(Parent):
    pass


class Thing:
    pass


Kid.register(Thing)
print(issubclass(Thing, Kid), issubclass(Thing, Parent))


# __subclasshook__.
class HasLen(ABC):
    @classmethod
    def __subclasshook__(cls, C):
        if cls is HasLen:
            return any("__len__" in B.__dict__ for B in C.__mro__)
        return NotImplemented


class Sized2:
    def __len__(self):
        return 0


print(isinstance([], HasLen), isinstance(Sized2(), HasLen), isinstance(3, HasLen), issubclass(dict, HasLen))


class Plain:
    pass


print(issubclass(Plain, HasLen))

try:
    issubclass(3, Drawable)
except TypeError as e:
    print("TypeError:", e)

# Abstract methods implemented later through a subclass, with super().
class Greeter(ABC):
    @abstractmethod
    def greet(self):
        return "base greeting"


class Hello(Greeter):
    def greet(self):
        return "hello / " + super().greet()


print(Hello().greet())
