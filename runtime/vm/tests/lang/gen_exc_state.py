# A generator's handled exception across `yield`, and the consumer's handled exception seen
# from a generator that has none of its own (CPython's per-generator exception state, chained
# to the caller's while the generator runs).
import sys


def name(e):
    return None if e is None else type(e).__name__


def own_across_yield():
    try:
        raise ValueError("own")
    except ValueError:
        yield name(sys.exception())
        yield name(sys.exception())
        yield name(sys.exc_info()[1])
    yield name(sys.exception())


print("own, no consumer exception:", list(own_across_yield()))

g = own_across_yield()
print("first:", next(g))
print("consumer sees its own after the yield:", name(sys.exception()))
try:
    raise KeyError("consumer")
except KeyError:
    print("resumed inside the consumer's handler:", next(g))
    print("consumer's own again:", name(sys.exception()))
print("resumed outside:", next(g), next(g))


def inherits():
    yield name(sys.exception())
    try:
        raise TypeError("inner")
    except TypeError:
        yield name(sys.exception())
    yield name(sys.exception())


g = inherits()
print("outside any handler:", next(g))
try:
    raise KeyError("k")
except KeyError:
    print("inside the consumer's handler:", next(g), next(g))
    print("consumer's after the generator's handler:", name(sys.exception()))
print("closed:", list(g))

try:
    raise IndexError("i")
except IndexError:
    print("list() of a fresh generator in a handler:", list(inherits()))


def reraise():
    yield 1
    raise


try:
    raise LookupError("outer")
except LookupError:
    g = reraise()
    next(g)
    try:
        next(g)
    except LookupError as e:
        print("bare raise in a generator re-raises the consumer's:", repr(e))


def context():
    yield 1
    raise RuntimeError("from gen")


try:
    raise ZeroDivisionError("z")
except ZeroDivisionError:
    g = context()
    next(g)
    try:
        next(g)
    except RuntimeError as e:
        print("context of an error raised in a generator:", repr(e.__context__))


def nested_outer():
    try:
        raise OSError("outer gen")
    except OSError:
        yield from nested_inner()


def nested_inner():
    yield name(sys.exception())
    yield name(sys.exception())


print("yield from, the delegating generator's handler:", list(nested_outer()))


def depth():
    try:
        raise ArithmeticError("a")
    except ArithmeticError:
        yield
    try:
        raise AttributeError("b")
    except AttributeError:
        yield name(sys.exception())
        try:
            raise EOFError("c")
        except EOFError:
            yield name(sys.exception())
        yield name(sys.exception())


g = depth()
next(g)
print("nested handlers across yields:", next(g), next(g), next(g))


async def coro():
    try:
        raise ValueError("coro")
    except ValueError:
        await Suspend()
        return name(sys.exception())


class Suspend:
    def __await__(self):
        yield name(sys.exception())


c = coro()
print("coroutine yields inside its handler:", c.send(None))
try:
    c.send(None)
except StopIteration as e:
    print("coroutine after resume:", e.value)


def thrower():
    try:
        yield 1
    except KeyError:
        yield name(sys.exception())
        yield name(sys.exception())


g = thrower()
next(g)
print("throw into a handler:", g.throw(KeyError("t")), next(g))
print("after the generator's handler, consumer:", name(sys.exception()))
