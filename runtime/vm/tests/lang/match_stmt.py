# The match statement (PEP 634): every pattern kind, matching and failing, guards, captures
# left by failed alternatives, and the errors CPython raises at run time.
import sys


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Color:
    RED = "red"
    GREEN = "green"


class NoArgs:
    pass


class BadArgs:
    __match_args__ = ["x"]


class BadNames:
    __match_args__ = (1,)


class Dup:
    __match_args__ = ("x", "x")
    x = 5


def literal(v):
    match v:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case -1:
            return "minus one"
        case 1.5:
            return "one and a half"
        case "s":
            return "str s"
        case b"b":
            return "bytes b"
        case None:
            return "none"
        case True:
            return "true"
        case False:
            return "false"
        case Color.RED:
            return "red"
        case Color.GREEN | "green!":
            return "green"
    return "no case"


def capture(v):
    match v:
        case [x, y, *rest] if x == y:
            return ("pair", x, rest)
        case (int(a), int(b)) if a > b:
            return ("desc", a, b)
        case [*init, "z"]:
            return ("init", init)
        case [x, _, *_, last]:
            return ("ends", x, last)
        case [_, _]:
            return "two"
        case []:
            return "empty"
        case {"k": int(k), **others}:
            return ("k", k, others)
        case {"a": 1, "b": [c, d]}:
            return ("ab", c, d)
        case {}:
            return "mapping"
        case Point(0, 0):
            return "origin"
        case Point(x=0, y=yy) | Point(x=yy, y=0):
            return ("axis", yy)
        case Point(px, py) as p if px == py:
            return ("diag", px, p.y)
        case Point():
            return "point"
        case str() | bytes():
            return "text"
        case int(n) if n > 100:
            return ("big", n)
        case float(f) | int(f):
            return ("number", f)
        case ((1 | 2) as one, (3 | 4) as two):
            return ("nested", one, two)
        case other:
            return ("other", other)


tests = [0, 1, 3, -1, 1.5, "s", b"b", None, True, False, "red", "green", "green!", 7, 1.0]
for t in tests:
    print(repr(t), literal(t))

subjects = [
    [1, 1, 2, 3], [1, 2, 3, 4], [1, "z"], ["a", "b", "z"], (5, 3), (3, 5), [], range(2),
    {"k": 3, "x": 1}, {"k": "no"}, {"a": 1, "b": [7, 8]}, {"a": 1, "b": [7]}, {"z": 0},
    Point(0, 0), Point(0, 4), Point(4, 0), Point(2, 2), Point(1, 2), "abc", b"xy",
    150, 5, 2.5, (2, 3), (2, 5), {1, 2}, "z",
]
for s in subjects:
    r = capture(s)
    print(type(s).__name__, r if not isinstance(r, tuple) or not r or r[0] != "other" else "other")


def failed_alternative(v):
    # A capture in an alternative that fails is not bound.
    y = "unbound"
    match v:
        case [1, y] | [2, _, y]:
            pass
        case _:
            pass
    return y


print(failed_alternative([1, 5]), failed_alternative([2, 0, 6]), failed_alternative([3, 4]))


def failed_case(v):
    x = "before"
    match v:
        case [x, 0]:
            return ("matched", x)
        case _:
            return ("not", x)


print(failed_case([9, 0]), failed_case([9, 1]))


def no_match(v):
    match v:
        case 1:
            print("one")
        case 2 if False:
            print("never")
    print("after", v)


no_match(2)
no_match(1)


def guard_sees_capture(v):
    match v:
        case (x, y) if x + y == 10:
            return f"ten from {x}+{y}"
        case (x, y):
            return f"guard was false for {x},{y}"


print(guard_sees_capture((3, 7)), guard_sees_capture((3, 8)))


def errors():
    for subject, fn in [
        (NoArgs(), lambda s: _m_noargs(s)),
        (BadArgs(), lambda s: _m_badargs(s)),
        (BadNames(), lambda s: _m_badnames(s)),
        (Dup(), lambda s: _m_dup(s)),
        (5, lambda s: _m_notclass(s)),
        ({"a": 1, "q": 2}, lambda s: _m_dupkey(s)),
    ]:
        try:
            print(fn(subject))
        except Exception as e:
            print(type(e).__name__, e)


def _m_noargs(s):
    match s:
        case NoArgs(1):
            return "x"


def _m_badargs(s):
    match s:
        case BadArgs(1):
            return "x"


def _m_badnames(s):
    match s:
        case BadNames(1):
            return "x"


def _m_dup(s):
    match s:
        case Dup(a, b):
            return (a, b)


notaclass = len


def _m_notclass(s):
    match s:
        case notaclass():
            return "x"


class K:
    A = "a"
    B = "a"


def _m_dupkey(s):
    match s:
        case {K.A: 1, K.B: 2}:
            return "x"
    return "no"


errors()


def builtin_self(v):
    match v:
        case int(i):
            return ("int", i)
        case str(s):
            return ("str", s)
        case list(l):
            return ("list", l)
        case dict(d):
            return ("dict", d)
        case tuple(t):
            return ("tuple", t)
        case bool(b):
            return ("bool", b)


for v in [4, "q", [1], {"a": 2}, (3,), True]:
    print(builtin_self(v))


def star_names(v):
    match v:
        case [*a, b, c]:
            return (a, b, c)
        case {**rest}:
            return rest


print(star_names([1, 2, 3, 4]), star_names([1, 2]), star_names({"q": 1}), star_names(3))


def as_binding(v):
    match v:
        case [1, *_] as whole:
            return whole
        case (0 | 1) as bit:
            return bit
        case _ as anything:
            return ("anything", anything)


print(as_binding([1, 9]), as_binding(0), as_binding(1), as_binding("x"))

# Module level: captures are globals.
match {"name": "vigil", "tags": ["a", "b"]}:
    case {"name": str(name), "tags": [first, *more]}:
        print(name, first, more)
match 42:
    case 0:
        pass
    case _:
        print("default", file=sys.stdout)
