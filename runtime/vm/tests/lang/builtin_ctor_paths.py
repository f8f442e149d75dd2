# Calls of builtin types with positional arguments only (vigil: the constructor reads them
# from the caller's value stack), next to the same calls with keywords or through a name.


def gen(n):
    for i in range(n):
        yield i * i


print(tuple(gen(4)), list(gen(3)), sorted(set(gen(5))), sorted(frozenset(gen(3))))
print(list(range(1, 9, 3)), list(reversed(range(4))), list(reversed([1, 2, 3])))
print(str(5), float("1.5"), bool([]), bool([0]), int("12"), int("ff", 16), int("z", base=36))
print(type(3), dict(), dict([(1, 2)]), dict(a=1), list(zip("ab", gen(2))))
print(list(map(abs, [-1, 2])), list(enumerate("xy")), slice(1, 2), tuple(), list())
print(tuple(x + 1 for x in range(3)), set(c for c in "aba") == {"a", "b"})

# A drained generator still referred to stays exhausted; one half consumed goes on.
g = (i for i in range(3))
print(tuple(g), tuple(g), list(g))
h = gen(4)
print(next(h), list(h), list(h))
k = gen(5)
next(k)
print(tuple(k))


# A generator that raises while a constructor drains it, and a constructor's own errors.
def bad():
    yield 1
    raise KeyError("inside")


for make in (tuple, list, set):
    try:
        make(bad())
    except KeyError as e:
        print(make.__name__, "KeyError", e)
for call in (
    lambda: tuple(1, 2),
    lambda: range(),
    lambda: int("x"),
    lambda: list(5),
    lambda: set(1, 2, 3),
    lambda: float("nope"),
):
    try:
        call()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)


# Through a name, in a loop, and nested in another constructor's argument.
T = tuple
acc = []
for n in range(4):
    acc.append(T(range(n)))
print(acc, list(tuple(range(i)) for i in range(3)), len(set(range(10))))
