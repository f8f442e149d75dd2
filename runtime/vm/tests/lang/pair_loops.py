# `for a, b in ...` over enumerate, a two-way zip and dict items: the loop's FOR_ITER and
# UNPACK_SEQUENCE 2 (the pair's parts pushed directly), and every way such a loop ends.
import sys


class Counting:
    """An iterator that logs each __next__ call, so extra or missing calls show."""

    def __init__(self, name, items):
        self.name = name
        self.items = list(items)
        self.calls = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.calls += 1
        print(f"  {self.name}.__next__ #{self.calls}")
        if not self.items:
            raise StopIteration
        return self.items.pop(0)


def gen(n):
    for i in range(n):
        yield i * 10
    print("  gen done")


print("enumerate over a list")
for i, x in enumerate(["a", "b", "c"]):
    print(i, x)
print("enumerate with start, over a generator")
for i, x in enumerate(gen(3), 5):
    print(i, x)
print("enumerate over an empty list")
for i, x in enumerate([]):
    print("never", i, x)
print("enumerate over a counting iterator")
it = Counting("c", "xy")
for i, x in enumerate(it):
    print(i, x)
print("calls", it.calls)
print("enumerate, break, then resumed")
e = enumerate("hello")
for i, c in e:
    if i == 1:
        break
print(next(e))
for i, c in e:
    print(i, c)
print(list(e))
print("enumerate whose source raises")


def bad():
    yield 1
    raise ValueError("from the source")


try:
    for i, x in enumerate(bad()):
        print(i, x)
except ValueError as exc:
    print("caught", exc)

print("zip of two, the first shorter")
a = Counting("a", [1, 2])
b = Counting("b", "pqr")
for x, y in zip(a, b):
    print(x, y)
print("calls", a.calls, b.calls, "left in b", b.items)
print("zip of two, the second shorter")
a = Counting("a", [1, 2, 3])
b = Counting("b", "p")
z = zip(a, b)
for x, y in z:
    print(x, y)
print("calls", a.calls, b.calls, "left in a", a.items)
print("exhausted zip again", list(z), a.calls, b.calls)
print("zip strict, asked again after it ended")
a = Counting("a", [1])
b = Counting("b", "p")
z = zip(a, b, strict=True)
print(list(z), list(z), a.calls, b.calls)
print("zip of lists")
for x, y in zip([1.5, 2.5], (3, 4)):
    print(x * y)
print("zip strict")
try:
    for x, y in zip([1, 2], [3], strict=True):
        print(x, y)
except ValueError as exc:
    print("caught", exc)
print("zip of three, unpacked")
for x, y, w in zip("ab", "cd", "ef"):
    print(x, y, w)

print("dict items")
d = {"one": 1, "two": 2, "three": 3}
del d["two"]
d["four"] = 4
for k, v in d.items():
    print(k, v)
print("empty dict items")
for k, v in {}.items():
    print("never", k, v)
print("dict items, the dict grows")
try:
    for k, v in d.items():
        d[k + "!"] = v
except RuntimeError as exc:
    print("caught", exc)
print("dict items, a value changes (allowed)")
for k, v in d.items():
    d[k] = v * 2
print(sorted(d.items()))
print("items iterator, next then loop")
itms = iter({"x": 1, "y": 2, "z": 3}.items())
print(next(itms))
for k, v in itms:
    print(k, v)

print("nested unpacking")
for i, (k, v) in enumerate({"p": 1, "q": 2}.items()):
    print(i, k, v)
print("three targets from a pair")
try:
    for a1, a2, a3 in enumerate("ab"):
        print(a1, a2, a3)
except ValueError as exc:
    print("caught", exc)
print("one target: the pair itself, reused or not")
kept = []
for pair in enumerate("ab"):
    kept.append(pair)
print(kept)
for pair in zip("ab", "cd"):
    kept.append(pair)
print(kept)
print("starred target")
for first, *rest in zip("ab", "cd"):
    print(first, rest)
print("a pair loop in a comprehension and a generator expression")
print([i * v for i, v in enumerate([3, 4, 5])])
print(sum(k * v for k, v in zip(range(4), range(4, 8))))
print({k: v for k, v in {"m": 1}.items()})


def under_monitoring():
    total = 0
    for i, v in enumerate([7, 8]):
        total += i + v
    for k, v in {"a": 1}.items():
        total += v
    return total


print("under sys.monitoring: LINE and INSTRUCTION")
mon = sys.monitoring
events = []
mon.use_tool_id(3, "pairs")
code = under_monitoring.__code__
mon.register_callback(3, mon.events.LINE, lambda c, line: events.append(("L", line - code.co_firstlineno)))
mon.register_callback(3, mon.events.INSTRUCTION, lambda c, off: events.append(("I", off)))
mon.set_local_events(3, code, mon.events.LINE)
print(under_monitoring(), events)
events.clear()
mon.set_local_events(3, code, mon.events.INSTRUCTION)
print(under_monitoring(), len(events), events[:12])
mon.set_local_events(3, code, 0)
print(under_monitoring())
mon.free_tool_id(3)
