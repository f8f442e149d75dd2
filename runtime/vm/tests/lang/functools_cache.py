# functools: lru_cache evicts the least recently used entry (a hit refreshes it), counts
# hits/misses as CPython, CacheInfo is a named tuple, typed, maxsize 0/None/negative,
# keyword order makes distinct keys, cache_parameters; cached_property; singledispatch and
# singledispatchmethod.
import functools


@functools.lru_cache(maxsize=2)
def sq(x):
    print("compute", x)
    return x * x


for x in [1, 2, 1, 3, 2, 1, 1]:
    sq(x)
info = sq.cache_info()
print(info, info.hits, info.misses, info.maxsize, info.currsize, tuple(info), info == (3, 4, 2, 2))
sq.cache_clear()
print(sq.cache_info(), sq.cache_parameters(), sq.__name__, sq.__wrapped__(3))


@functools.lru_cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(60), fib.cache_info())


@functools.lru_cache(maxsize=None, typed=True)
def ident(x, y=0):
    return (x, y)


ident(1), ident(1.0), ident(True), ident(1, y=2), ident(x=1, y=2), ident(y=2, x=1)
print(ident.cache_info())
for size in (0, -5):
    f = functools.lru_cache(maxsize=size)(lambda x: x)
    f(1), f(1)
    print(f.cache_info())
try:
    functools.lru_cache("big")
except TypeError as e:
    print("TypeError:", e)


class Data:
    def __init__(self, xs):
        self.xs = xs

    @functools.cached_property
    def total(self):
        """Sum of xs."""
        print("summing")
        return sum(self.xs)


d = Data([1, 2, 3])
print(d.total, d.total, d.__dict__, Data.total.__doc__, type(Data.total).__name__)
d.total = 0
print(d.total)
del d.total
print(d.total)


class Slotted:
    __slots__ = ("a",)

    @functools.cached_property
    def v(self):
        return 1


try:
    Slotted().v
except TypeError as e:
    print("TypeError:", e)


@functools.singledispatch
def show(x):
    return "object %r" % (x,)


@show.register
def _(x: int):
    return "int %d" % x


@show.register(list)
@show.register(tuple)
def _(x):
    return "sequence of %d" % len(x)


print(show(1), show(True), show([1, 2]), show((1,)), show("s"), show(None))
print(show.dispatch(bool) is show.dispatch(int), object in show.registry)
try:
    show()
except TypeError as e:
    print("TypeError:", e)


class Fmt:
    @functools.singledispatchmethod
    def fmt(self, x):
        return "?"

    @fmt.register
    def _(self, x: float):
        return "%.2f" % x

    @fmt.register(str)
    def _(self, x):
        return x.upper()


print(Fmt().fmt(2.0), Fmt().fmt("ab"), Fmt().fmt(1))
