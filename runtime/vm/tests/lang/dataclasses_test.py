# dataclasses (implemented in Python inside vigil).
from dataclasses import dataclass, field, asdict, replace, fields
@dataclass
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int = 0
p = Point(1, 2)
p.tags.append("a")
print(p, p == Point(1, 2, ["a"]), asdict(p), replace(p, x=9), [f.name for f in fields(p)])
v1, v2 = Version(1, 2), Version(1, 10)
print(v1 < v2, sorted([v2, v1]), hash(v1) == hash(Version(1, 2)), {v1: "ok"}[Version(1, 2)])
try:
    v1.major = 3
except AttributeError as e:
    print(type(e).__name__, e)
try:
    Point()
except TypeError as e:
    print(e)
@dataclass
class Inv:
    name: str
    qty: int = 1
    def total(self, price):
        return self.qty * price
    def __post_init__(self):
        self.name = self.name.upper()
print(Inv("widget", 3), Inv("x").total(2.5))
