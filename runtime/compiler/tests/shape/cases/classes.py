class Base:
    """Base doc."""
    kind = "base"
    __slots__ = ("x", "__y")

    def __init__(self, x):
        self.x = x
        self.__y = x * 2

    def __repr__(self):
        return f"{type(self).__name__}({self.x!r})"

    @property
    def double(self):
        return self.__y

    @classmethod
    def make(cls):
        return cls(1)


class Child(Base):
    kind: str = "child"
    count: int

    def __init__(self, x, y=0):
        super().__init__(x)
        self.y = y

    def get(self):
        return super().double + __class__.kind.__len__()

    def other(self):
        return super(Child, self).double


def outer():
    v = 1

    class Inner:
        w = v

        def f(self):
            return v

    return Inner


print(Base(3), Child.make(), Child(2).get(), outer().w, outer()().f())
