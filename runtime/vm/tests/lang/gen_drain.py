# Builtin consumers draining a generator (list, tuple, set, sorted, str.join): the values,
# their order, side effects interleaved with the generator's own, errors part-way, nesting,
# exception state seen inside, re-entry, and monitoring events per value.
import sys

def noisy(n, log):
    for i in range(n):
        log.append(("yield", i))
        yield i
    log.append("end")

log = []
print(list(noisy(4, log)), log)
log = []
print(tuple(noisy(3, log)), log)
log = []
print(sorted(noisy(3, log), reverse=True), log)
print(set(i % 3 for i in range(10)))
print(frozenset(str(i) for i in range(3)) == {"0", "1", "2"})
print(",".join(str(i) for i in range(5)))
print(list(x * y for x in range(3) for y in range(x)))
print(list(range(3)), tuple(()), set(), list(i for i in ()))

# Long runs (the buffer fills and grows along the way); order is kept.
r = list(i * i for i in range(1000))
print(len(r), r[:3], r[-3:], r == [i * i for i in range(1000)])
s = set(i % 97 for i in range(5000))
print(len(s), sum(s))
t = tuple(str(i) for i in range(300))
print(len(t), t[0], t[-1])

# Nested drains: a genexpr whose values are themselves drained generators.
print(list(tuple(j for j in range(i)) for i in range(4)))
print([len(set(k for k in range(i))) for i in range(5)])
print(list(sum(1 for _ in range(i)) for i in range(4)))

# A generator function with yield from, try/finally and a return value.
def inner():
    yield "a"
    yield "b"
    return "ignored"

def outer():
    try:
        r = yield from inner()
        yield r
        yield "c"
    finally:
        print("finally runs before list returns")

print(list(outer()))

# Partly consumed first, then drained; a finished one gives nothing.
g = (i for i in range(5))
print(next(g), next(g), list(g), list(g), tuple(g))

# An error part-way: the values so far are lost, the exception propagates.
def fails():
    yield 1
    yield 2
    raise KeyError("boom")

for make in (list, tuple, set, sorted):
    try:
        make(fails())
    except KeyError as e:
        print(make.__name__, "KeyError", e)

# Unhashable part-way through set(): later values are not produced.
seen = []
def mixed():
    for x in (1, 2, [3], 4):
        seen.append(x)
        yield x
try:
    set(mixed())
except TypeError as e:
    print("TypeError", e, seen)

# A member with a Python __eq__: comparisons interleave with the generator's own output.
class K:
    def __init__(self, h, tag):
        self.h, self.tag = h, tag
    def __hash__(self):
        print("hash", self.tag)
        return self.h
    def __eq__(self, other):
        print("eq", self.tag, getattr(other, "tag", other))
        return False

def keys():
    print("gen start")
    yield 1
    yield K(1, "k1")
    print("after k1")
    yield 1
    print("after 1")
    yield K(2, "k2")
    yield 2
    print("gen end")

print(len(set(keys())))

# Native values after a first member whose hash is native too, then a float equal to an int.
print(set(x for x in (1, 1.0, True, 2, 2.0, "2", None, None)))

# The generator sees itself running, and re-entering it fails.
def selfish():
    yield me.gi_running
    yield list(me)

me = selfish()
try:
    list(me)
except ValueError as e:
    print("ValueError", e)
me = selfish()
print(next(me))

# Exception state inside the generator: its consumer's while it handles none of its own,
# its own across a yield inside an except block.
def exc_view():
    yield repr(sys.exc_info()[1])
    try:
        raise IndexError("own")
    except IndexError:
        yield repr(sys.exc_info()[1])
        yield repr(sys.exc_info()[1])
    yield repr(sys.exc_info()[1])

print(list(exc_view()))
try:
    raise ValueError("consumer's")
except ValueError:
    print(list(exc_view()))
    print(repr(sys.exc_info()[1]))

# Monitoring: PY_YIELD and PY_RESUME per value, also when turned on inside the generator.
mon = sys.monitoring
E = mon.events
TOOL = 2
mon.use_tool_id(TOOL, "drain-test")
counts = {}
def on(name):
    def cb(code, offset, *rest):
        if code.co_name in ("<genexpr>", "turns_on"):
            key = (code.co_name, name)
            counts[key] = counts.get(key, 0) + 1
    return cb
mon.register_callback(TOOL, E.PY_YIELD, on("yield"))
mon.register_callback(TOOL, E.PY_RESUME, on("resume"))
mon.set_events(TOOL, E.PY_YIELD | E.PY_RESUME)
print(list(i for i in range(4)), sorted(counts.items()))
mon.set_events(TOOL, 0)
counts.clear()

def turns_on():
    yield 0
    yield 1
    mon.set_events(TOOL, E.PY_YIELD | E.PY_RESUME)
    yield 2
    yield 3
    mon.set_events(TOOL, E.PY_RESUME)
    yield 4
    yield 5

print(list(turns_on()), sorted(counts.items()))
mon.set_events(TOOL, 0)
counts.clear()
print(set(turns_on()), sorted(counts.items()))
mon.set_events(TOOL, 0)
mon.free_tool_id(TOOL)

# Uncaught from inside a drained generator: the traceback names the consumer's line and
# the generator's.
def deep():
    yield 1
    yield 1 // 0

print(sorted(x for x in deep()))
