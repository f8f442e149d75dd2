# Builtin error messages and an uncaught exception raised inside a generator in a list comprehension.
class K:
    def m(self, d):
        return d["missing"]
def gen():
    yield 1
    yield K().m({})
def outer():
    return [x for x in gen()]
try:
    outer()
except KeyError:
    pass
f = lambda v: v.attr
def deep(n):
    if n == 0:
        return f(3)
    return deep(n - 1)
try:
    deep(5)
except AttributeError as e:
    print(e)
x = {"a": 1}
def bad_add():
    return x["a"] + "s"
try:
    bad_add()
except TypeError as e:
    print(e)
try:
    None.foo
except AttributeError as e:
    print(e)
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    len(5)
except TypeError as e:
    print(e)
try:
    int("12a")
except ValueError as e:
    print(e)
try:
    "abc" + 1
except TypeError as e:
    print(e)
try:
    1 < "a"
except TypeError as e:
    print(e)
try:
    {}[[1]]
except TypeError as e:
    print(e)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print(e)
try:
    a, b, c = (1, 2)
except ValueError as e:
    print(e)
try:
    undefined_fn()
except NameError as e:
    print(e)
try:
    1 .real.imag.foo
except AttributeError as e:
    print(e)
try:
    "x".nope()
except AttributeError as e:
    print(e)
try:
    raise ValueError
except ValueError as e:
    print(repr(e), str(e) == "")
def kw(a, *, b): pass
try:
    kw(1, 2)
except TypeError as e:
    print(e)
try:
    import nonexistent_mod
except ImportError as e:
    print(type(e).__name__, e)
print(K.m.__qualname__, K().m.__self__.__class__.__name__)
outer()
