# Coroutine and generator objects made one after another from different functions, and
# after renaming a function: each has its own function's name, qualname and code (vigil
# refills finished generator objects in place).


async def a():
    return 1


async def b():
    return 2


def g1():
    yield "g1"


def g2():
    yield "g2"


class K:
    async def m(self):
        return 3


async def main():
    for f in (a, b, a, K().m, b, a):
        v = await f()
        co = f()
        print(v, co.__name__, co.__qualname__, co.cr_code.co_name)
        co.close()
    a.__name__ = "a_renamed"
    a.__qualname__ = "Q.a_renamed"
    x, y = a(), b()
    print(await a(), x.__name__, x.__qualname__, y.__name__, y.__qualname__)
    x.close()
    y.close()
    for g in (g1, g2, g1):
        it = g()
        print(list(it), it.__name__, it.__qualname__, it.gi_code.co_name)
    print(tuple(x for x in range(2)), [(y for y in ()).__name__, (z for z in ()).__qualname__])
    return "done"


c = main()
try:
    c.send(None)
except StopIteration as e:
    print(e.value)
