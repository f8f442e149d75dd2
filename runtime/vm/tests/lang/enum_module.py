# enum: Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique.
from enum import Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique, EnumType


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1  # an alias

    def describe(self):
        return f"{self.name} is {self.value}"

    @classmethod
    def default(cls):
        return cls.GREEN

    @property
    def lower(self):
        return self.name.lower()


print(Color.RED, repr(Color.RED), Color.RED.name, Color.RED.value)
print(Color(1), Color["GREEN"], Color.CRIMSON is Color.RED, Color.CRIMSON.name)
print(list(Color), len(Color), [c.name for c in reversed(Color)])
print(Color.__members__)
print(list(Color.__members__), len(Color.__members__), "CRIMSON" in Color.__members__)
print(repr(Color), type(Color) is EnumType, isinstance(Color.RED, Color), type(Color.RED))
print(Color.RED in Color, 1 in Color, 7 in Color, "RED" in Color)
print(Color.RED.describe(), Color.default(), Color.BLUE.lower)
print(Color.RED == Color.RED, Color.RED == Color.GREEN, Color.RED == 1, Color.RED != 1)
print(hash(Color.RED) == hash("RED"), {Color.RED: "r"}[Color.CRIMSON])
print(format(Color.RED), f"[{Color.RED:>12}]", f"{Color.GREEN!r}", str(Color.BLUE))
print(sorted(Color, key=lambda c: c.value), max(Color, key=lambda c: c.value))
print(Color.RED is Color(Color.RED), Color(Color.RED))

for bad in (lambda: Color(5), lambda: Color["PURPLE"], lambda: Color.RED < Color.GREEN):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)

try:
    Color.RED = 10
except AttributeError as e:
    print("AttributeError:", e)
try:
    del Color.GREEN
except AttributeError as e:
    print("AttributeError:", e)
try:
    Color.RED.value = 3
except AttributeError as e:
    print("AttributeError:", e)
Color.extra = "class attribute"
print(Color.extra)

match Color.GREEN:
    case Color.RED:
        print("red")
    case Color.GREEN:
        print("green")


# auto and _generate_next_value_.
class Auto(Enum):
    A = auto()
    B = auto()
    C = 10
    D = auto()


print(list(Auto), repr(auto()))


class Named(Enum):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return f"{name}-{count}-{start}-{last_values}"

    X = auto()
    Y = auto()


print([m.value for m in Named])


# _missing_.
class Status(Enum):
    ACTIVE = "active"
    INACTIVE = "inactive"

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for m in cls:
                if m.value == value.lower():
                    return m
        return None


print(Status("ACTIVE"), Status("Inactive"))
try:
    Status("gone")
except ValueError as e:
    print("ValueError:", e)


class BadMissing(Enum):
    A = 1

    @classmethod
    def _missing_(cls, value):
        return 5


try:
    BadMissing(2)
except TypeError as e:
    print("TypeError:", e)


# Members with tuple values and __init__.
class Planet(Enum):
    MERCURY = (3.303e23, 2.4397e6)
    EARTH = (5.976e24, 6.37814e6)

    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius

    @property
    def gravity(self):
        return 6.673e-11 * self.mass / (self.radius * self.radius)


print(Planet.EARTH.value, Planet.EARTH.mass, round(Planet.EARTH.gravity, 2), repr(Planet.MERCURY))


# A custom __new__ that sets _value_.
class Coin(Enum):
    def __new__(cls, value, label):
        obj = object.__new__(cls)
        obj._value_ = value
        obj.label = label
        return obj

    PENNY = (1, "one cent")
    NICKEL = (5, "five cents")


print(Coin(5), Coin.PENNY.label, Coin.NICKEL.value)


# IntEnum, StrEnum and mixins.
class Level(IntEnum):
    LOW = 1
    MID = auto()
    HIGH = 5


print(Level.MID, repr(Level.MID), str(Level.HIGH), f"{Level.LOW}", format(Level.HIGH, "03d"))
print(Level.LOW == 1, Level.LOW < Level.HIGH, Level.HIGH + 1, Level(5), sorted([Level.HIGH, Level.LOW]))
print(isinstance(Level.LOW, int), hash(Level.LOW) == hash(1), [1, 2, 3][Level.LOW], Level.MID * 2)


class Mode(StrEnum):
    READ = auto()
    WRITE = "w"


print(Mode.READ, repr(Mode.READ), Mode.WRITE == "w", Mode.READ.upper(), f"{Mode.WRITE}!", Mode("w"))
print(isinstance(Mode.READ, str), "rea" in Mode.READ, Mode.READ + "x")


class Mixed(int, Enum):
    ONE = 1
    TWO = 2


print(Mixed.ONE, repr(Mixed.TWO), str(Mixed.ONE), format(Mixed.ONE), Mixed.ONE + Mixed.TWO)


# unique.
try:
    @unique
    class Dupes(Enum):
        A = 1
        B = 1
        C = 2
        D = 2
except ValueError as e:
    print("ValueError:", e)


@unique
class Fine(Enum):
    A = 1
    B = 2


print(list(Fine))


# Enums with members cannot be subclassed; ones without can.
try:
    class MoreColor(Color):
        PINK = 4
except TypeError as e:
    print("TypeError:", e)


class Base(Enum):
    def hello(self):
        return "hello " + self.name


class Child(Base):
    X = 1


print(Child.X.hello())


# Flag.
class Perm(Flag):
    R = 4
    W = 2
    X = 1


rw = Perm.R | Perm.W
print(repr(rw), rw, rw.value, rw.name, list(rw), len(rw), bool(rw))
print(repr(~Perm.R), repr(Perm.R & Perm.W), repr(Perm(0)), str(Perm(0)), bool(Perm(0)))
print(Perm.R in rw, Perm.X in rw, rw & Perm.R, rw ^ Perm.R, Perm(7), list(Perm))
print(Perm(6) is rw, repr(Perm(3)))
try:
    Perm(8)
except ValueError as e:
    print("ValueError:", e)
try:
    1 in rw
except TypeError as e:
    print("TypeError:", e)


class Color2(Flag):
    RED = auto()
    GREEN = auto()
    BLUE = auto()
    WHITE = RED | GREEN | BLUE


print(list(Color2), repr(Color2.WHITE), Color2.RED | Color2.GREEN | Color2.BLUE, len(Color2))
print(repr(Color2.RED | Color2.BLUE), [m.value for m in Color2])


# IntFlag.
class P(IntFlag):
    R = 4
    W = 2
    X = 1


print(repr(P.R | P.W), P.R | P.W, repr(P.R | 8), P.R | 8, repr(~P.R), P.R + 1, P.R == 4)
print(format(P.R), f"{P.W:>4}|", str(P(0)), repr(P(0)), isinstance(P.R | P.W, P), P(12))


# The functional API.
Animal = Enum("Animal", "ANT BEE CAT")
print(list(Animal), Animal.BEE.value, repr(Animal))
Shape = Enum("Shape", [("SQUARE", 4), ("TRIANGLE", 3)])
print(Shape(3), Shape.SQUARE.value)
Num = IntEnum("Num", {"ONE": 1, "TWO": 2})
print(Num.TWO + 1, repr(Num.ONE))
Letters = Enum("Letters", ["A", "B"], start=10)
print([m.value for m in Letters])


# _ignore_ and non-member attributes.
class Weekday(Enum):
    _ignore_ = ["i"]
    MON = 1
    TUE = 2
    helper = lambda self: self.value * 10
    label = "not a member"  # a str is a member... unless a descriptor


print(list(Weekday), Weekday.MON.helper())
try:
    Weekday.name
except AttributeError as e:
    print("AttributeError:", e)
print([(n, m.value) for n, m in Weekday.__members__.items()])


# Boundaries.
from enum import CONFORM, EJECT, STRICT, KEEP, FlagBoundary


class Conf(Flag, boundary=CONFORM):
    A = 1
    B = 2


class Ej(Flag, boundary=EJECT):
    A = 1
    B = 2


print(repr(Conf(7)), Ej(7), type(Ej(7)).__name__, repr(Ej(3)), Conf._boundary_ is CONFORM, STRICT, repr(KEEP))
try:
    Perm.R | 8
except TypeError as e:
    print("TypeError:", e)
print(list(P.R | P.X), len(P.R | P.W | P.X), P.R in (P.R | P.W), ~P(0), repr(P(-1)))
print({Color.RED: 1, Color.GREEN: 2}, {Color.BLUE} | {Color.BLUE}, Color.RED.__class__)
print([str(x) for x in Level], [int(x) for x in Level], Level["MID"], getattr(Color, "BLUE"))


class Ordered(Enum):
    def __lt__(self, other):
        return self.value < other.value

    B = 2
    A = 1


print(sorted(Ordered), Ordered.A < Ordered.B)
