def plain(a, b):
    return a + b


def defaults(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw


def posonly(a, b, /, c, *, d):
    return a * b * c * d


@staticmethod
def decorated(x):
    return x


def deco(f):
    return f


@deco
@deco
def twice(x: int, *, y: "str" = "s") -> list:
    """Docstring here.

        Indented more.
    """
    return [x, y]


def closure(n):
    total = 0

    def add(k):
        nonlocal total
        total += k
        return total

    return add


counter = 0


def bump():
    global counter
    counter += 1
    del counter


lam = lambda x, *a, k=3: (x, a, k)
print(plain(1, 2), defaults(1, c=3), posonly(1, 2, 3, d=4), twice(1), closure(2)(3), lam(1))
print(plain(*[1, 2]), plain(**{"a": 1, "b": 2}), defaults(1, *(2, 3), c=4, **{"z": 5}))
