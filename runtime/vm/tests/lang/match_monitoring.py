# sys.monitoring over match statements: every LINE, BRANCH, JUMP and INSTRUCTION event (with
# CPython 3.13's byte offsets and destinations) and the line table of each function must be
# CPython's, so the compiled layout of every pattern kind is checked instruction by
# instruction.
import sys

M = sys.monitoring
E = M.events
TOOL = 3
out = []


class P:
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


CODES = {seq.__code__, mapping.__code__, value.__code__, shuffle.__code__, in_loop.__code__}


def rec(name):
    def cb(code, off, *rest):
        if code not in CODES:
            return
        if name == "LINE":
            out.append(f"L{off}")
        elif name in ("BRANCH", "JUMP"):
            out.append(f"{name[0]}{off}>{rest[0]}")
        else:
            out.append(str(off))
    return cb


for n in ("LINE", "BRANCH", "JUMP", "INSTRUCTION"):
    M.register_callback(TOOL, getattr(E, n), rec(n))

M.use_tool_id(TOOL, "match")
M.set_events(TOOL, E.LINE | E.BRANCH | E.JUMP | E.INSTRUCTION)
calls = [
    (seq, [1, 5]), (seq, [2, 3, 2]), (seq, [4, 0]), (seq, (7, 8)), (seq, [7, 8, 9]),
    (seq, []), (seq, "x"), (seq, [5, 6, 7, 8]),
    (mapping, {"k": 1}), (mapping, {"k": 2, "j": 3}), (mapping, {"k": 2}), (mapping, P(0, 4)),
    (mapping, P(1, 2)), (mapping, "s"), (mapping, None), (mapping, 3.5),
    (value, 1), (value, 2), (value, "two"), (value, -3), (value, 9),
    (shuffle, [1, (2, 3)]), (shuffle, [(3, 2), 1]), (shuffle, {"a": 1, "b": 2, "c": 3}),
    (shuffle, P([1, 2, 3], 2)), (shuffle, P(9, [4, 5])), (shuffle, P([1], 3)),
    (shuffle, {"x": 1, "y": [2, 3, 4]}), (shuffle, {"x": 0, "y": [2, 3]}),
    (shuffle, [[[7]]]), (shuffle, (8, 0, 0, 0)), (shuffle, 5),
    (in_loop, [1, 2, "skip", 3, "stop", 5]),
]
for f, arg in calls:
    out.clear()
    r = f(arg)
    print(f.__name__, repr(arg), "->", repr(r))
    print("  ", " ".join(out))
M.set_events(TOOL, 0)
M.free_tool_id(TOOL)
for f in (seq, mapping, value, shuffle, in_loop):
    print(f.__name__, list(f.__code__.co_lines()))


class K2:
    A = "a"


def swap_run(v):
    # A capture's SWAP run ending where `None`'s compare was folded away: CPython's optimizer
    # writes the swaps into those slots, so their columns are the `None`'s.
    match v:
        case ({K2.A: list(c), "x": [*a, None]} as h):
            return (a, c, h)
        case _ if v:
            return 0


print(swap_run({"a": [1], "x": [2, None]}), swap_run(5))
print(list(swap_run.__code__.co_positions()))
