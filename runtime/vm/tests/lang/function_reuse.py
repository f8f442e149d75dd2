# Function objects made again and again from the same code, whose generators finish while
# nothing else refers to the function: each new function has its own name, qualname, doc,
# module, closure, defaults and attributes (vigil keeps such function objects for the next
# MAKE_FUNCTION and refills them).


def mk(rename=None, doc=None, attr=None):
    def inner():
        yield seen

    seen = (rename, doc, attr)
    print(inner.__name__, inner.__qualname__, inner.__doc__, inner.__module__,
          sorted(inner.__dict__), inner.__defaults__, inner.__kwdefaults__)
    if rename is not None:
        inner.__name__ = rename
        inner.__qualname__ = "q." + rename
    if doc is not None:
        inner.__doc__ = doc
    if attr is not None:
        inner.attr = attr
    return inner()


for args in [("x", None, None), (None, "a doc", None), (None, None, 5), (None, None, None),
             ("y", "d", 1), (None, None, None)]:
    print(list(mk(*args)))


def with_doc():
    def documented():
        """the docstring"""
        yield 1

    print(documented.__doc__, documented.__name__)
    documented.__doc__ = "changed"
    return documented()


for _ in range(3):
    print(list(with_doc()))


def with_defaults(k):
    def inner(a=k, *, b=k + 1):
        yield a + b

    print(inner.__defaults__, inner.__kwdefaults__)
    return inner()


for k in range(3):
    print(list(with_defaults(k)))

# Closures over different cells, three genexpr codes alternating as in nqueens.
for k in range(4):
    print(tuple(x * k for x in range(3)), set(x + k for x in range(3)),
          sum(x - k for x in range(3)))


def cells(n):
    a = [n]
    return (a[0] + i for i in range(2)), (lambda: a)


for n in range(3):
    g, f = cells(n)
    print(list(g), f())
    f()[0] = 99
    print(f())

# A function made in other globals: its __module__ and globals are its own.
ns = {"__name__": "other"}
exec("def mk():\n    def inner():\n        yield __name__\n    return inner()\n", ns)
for _ in range(2):
    print(list(ns["mk"]()), list(mk()))
ns2 = {}
exec("def mk():\n    def inner():\n        yield inner.__module__\n    return inner()\n", ns2)
print(list(ns2["mk"]()))

# The generator's function, reached again through a generator that is still running.
def outer():
    def inner():
        yield inner
    return inner()


fs = []
for _ in range(3):
    g = outer()
    fs.append(next(g))
    g.close()
print(len(set(map(id, fs))), [f.__name__ for f in fs])
