# `with`: __enter__/__exit__ taking various signatures, an __exit__ that swallows the
# exception, one that raises, missing methods, nesting, return and continue through it.

class CM:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, *a):
        print("exit", self.name, a[0].__name__ if a[0] else None, a[1] if a[1] else None, len(a))
        return self.swallow

class Exact:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        print("exact", t, v)

class Defaults:
    def __enter__(self, extra=5):
        return extra
    def __exit__(self, t, v, tb, more=1):
        print("defaults", more, t)
        return 0

class BadExit:
    def __enter__(self):
        return 1
    def __exit__(self, t, v, tb):
        raise KeyError("from exit")

class NoExit:
    def __enter__(self):
        return 1

class NoEnter:
    def __exit__(self, *a):
        return True

with CM("a") as x:
    print("body", x)
with CM("b", swallow=True):
    raise ValueError("swallowed")
print("after b")
try:
    with CM("c"):
        raise ValueError("kept")
except ValueError as e:
    print("caught", e)
with CM("d") as p, CM("e", True) as q:
    print(p, q)
    1 / 0
print("after de")
with Exact() as e:
    pass
with Defaults() as d:
    print("d", d)
with Defaults():
    try:
        raise TypeError("t")
    except TypeError:
        pass
try:
    with BadExit():
        raise ValueError("inner")
except KeyError as e:
    print("KeyError", e, type(e.__context__).__name__)
for cls in (NoExit, NoEnter, int):
    try:
        with cls() as z:
            print("unreachable")
    except TypeError as e:
        print("TypeError", e)

def f(n):
    total = 0
    cm = CM("loop", swallow=True)
    for i in range(n):
        with cm as v:
            total += len(v)
            if i == 1:
                raise RuntimeError(i)
    return total
print(f(3))
def ret():
    with CM("ret"):
        return "returned"
print(ret())
for i in range(2):
    with CM("cont"):
        if i == 0:
            continue
        print("not continued", i)
