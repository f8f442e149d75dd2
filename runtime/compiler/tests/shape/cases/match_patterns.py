# The match statement: every pattern kind, guards, or-patterns whose alternatives bind names
# in different orders (the SWAP runs CPython's optimizer rewrites), match in loops and try.
class P:
    __match_args__ = ("a", "b")
    def __init__(self, a, b):
        self.a = a; self.b = b

def f1(v):
    match v:
        case _ if v == 3:
            return "three"

def f2(v):
    match v:
        case x if x > 2:
            return x
        case 1 | 2:
            return "low"
        case _:
            return "else"

def f3(v):
    match v:
        case [*_]:
            return "seq"
        case {**kw}:
            return kw
        case P(_, b):
            return b
        case P(b=_):
            return "pb"

def f4(v):
    match v:
        case {"x": {"y": [1, *zs]}} if zs:
            return zs
        case [P(a, _) | P(_, a), *r] if a:
            return a, r
        case (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, a):
            return a
    return None

def f5(v):
    r = []
    for x in v:
        match x:
            case int():
                r.append(1)
            case str() if x:
                r.append(2)
    return r

def f6(v):
    try:
        match v():
            case 1:
                return "one"
            case _:
                return "other"
    except ValueError:
        return "raised"

def gen(v):
    match v:
        case [a, b]:
            yield a
            yield b
        case _:
            yield v

def f7(v):
    match v:
        case [a, [b, [c, d]]] | [[[c, d], b], a]:
            return a, b, c, d
        case {1: a, 2: b} | {3: b, 4: a}:
            return a, b
        case P(a, b=P(c, d)) | P(P(c, d), b=a):
            return a, c, d

def bad():
    raise ValueError

def f8(v):
    match v:
        case x:
            return x

def f9(v):
    match v:
        case (x, y) if (x if y else 0):
            pass
        case [x, *_] if x and not v[0] or x is None:
            pass
    return 0

class P2:
    __match_args__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __repr__(self):
        return f"P({self.a}, {self.b})"


def seq(v):
    match v:
        case [1, x]:
            return x
        case [x, *_, y] if x == y:
            return "same ends"
        case [*_, 0]:
            return "ends in zero"
        case (a, b) | [b, a, _]:
            return (a, b)
        case []:
            return "empty"
        case _:
            return None


def mapping(v):
    match v:
        case {"k": 1}:
            return "k1"
        case {"k": k, **rest} if rest:
            return (k, rest)
        case {}:
            return "dict"
        case P(0, b=bb):
            return bb
        case P(a, b) as p:
            return (a, b, p.a)
        case str() | bytes():
            return "text"
        case True | None:
            return "singleton"
    return "fell through"


def value(v):
    match v:
        case 1:
            r = "one"
        case "two" | 2:
            r = "two"
        case -3 if v < 0:
            r = "three"
        case _:
            r = "other"
    return r


class K:
    X = "x"
    Y = "y"


def shuffle(v):
    # Alternatives binding the same names in different orders, nested or-patterns, keyword
    # class patterns and attribute keys: the capture rotations CPython's optimizer rewrites.
    match v:
        case [a, (b, c)] | [(c, b), a] | {"a": a, "b": b, "c": c}:
            return (a, b, c)
        case P(a=[x, *ys], b=(1 | 2) as z) | P(a=z, b=[x, *ys]):
            return (x, ys, z)
        case {K.X: p, K.Y: [q, *_, r]} if p and r:
            return (p, q, r)
        case [[[deep]]] | (deep, 0, 0, 0):
            return deep
    return "none"


def in_loop(items):
    n = 0
    for it in items:
        match it:
            case "stop":
                break
            case "skip":
                continue
            case int(k) if k % 2:
                n += k
            case _:
                n -= 1
    return n


def g1(x):
    match x:
        case 1:
            return "one"
        case "s" | None:
            return "s"
        case [a, b]:
            return a
        case {"k": v, **rest}:
            return v
        case P(1, y=z) if z:
            return z
        case _:
            return 0
def g2(x):
    match x:
        case [*_]:
            return 1
        case [*r]:
            return r
        case [a, *_]:
            return a
        case [a, *_, b]:
            return b
        case [_, *r, _]:
            return r
        case (a, b) | [b, a, _]:
            return 2
        case []:
            return 3
        case {}:
            return 4
        case {**kw}:
            return kw
        case True:
            pass
        case -1 | 1.5:
            pass
        case C.D:
            pass
        case int(q) as w:
            pass
        case str():
            pass
match [1, 2]:
    case [a, *b]:
        top = a
    case _:
        top = None


class InBody:
    match top:
        case 1 | 2 as small:
            kind = small
        case _:
            kind = None


class K2:
    A = "a"


def swap_run_into_folded_none(v):
    # The capture's SWAP run ends where `None`'s compare was folded away: CPython's
    # swaptimize writes the swaps into those NOPs' slots (and locations).
    match v:
        case (list() as h):
            return (0, h)
        case ({K2.A: list(c), "x": [*a, None]} as h):
            return (1, a, c, h)
        case 0:
            return 2
    return "none"


def guarded_wildcard_first(v):
    # `COPY 1` + the wildcard's `POP_TOP` cancel out (remove_redundant_nops_and_pairs).
    match v:
        case _ if v:
            return 0
        case [x] if x:
            return x
        case _:
            return None
