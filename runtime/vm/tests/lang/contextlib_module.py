# contextlib (vigil's is Python in pylib): contextmanager (enter/exit, exceptions swallowed,
# re-raised, replaced; generator errors), used as a decorator, suppress, closing,
# nullcontext, redirect_stdout into a StringIO, ExitStack ordering and suppression.
import io
import sys
from contextlib import contextmanager, suppress, closing, nullcontext, redirect_stdout, ExitStack


@contextmanager
def tag(name):
    print("<%s>" % name)
    try:
        yield name.upper()
    except KeyError as e:
        print("swallowed KeyError", e)
    finally:
        print("</%s>" % name)


with tag("a") as v:
    print("body", v)
with tag("b"):
    {}["k"]
try:
    with tag("c"):
        raise ValueError("passes through")
except ValueError as e:
    print("caught", repr(e))


@contextmanager
def replacing():
    try:
        yield
    except ZeroDivisionError as e:
        raise RuntimeError("replaced") from e


try:
    with replacing():
        1 / 0
except RuntimeError as e:
    print(repr(e), repr(e.__cause__))


@contextmanager
def no_yield():
    if False:
        yield


try:
    with no_yield():
        pass
except RuntimeError as e:
    print("RuntimeError:", e)


@contextmanager
def two_yields():
    yield 1
    yield 2


try:
    with two_yields():
        pass
except RuntimeError as e:
    print("RuntimeError:", e)


@contextmanager
def keeps_going():
    try:
        yield
    except ValueError:
        yield


try:
    with keeps_going():
        raise ValueError
except RuntimeError as e:
    print("RuntimeError:", e)


@contextmanager
def traced():
    print("enter")
    yield
    print("exit")


@traced()
def work(x):
    print("work", x)
    return x * 2


print(work(3), work(4), work.__name__)

with suppress(KeyError, IndexError):
    [][1]
print("suppressed")
try:
    with suppress(KeyError):
        1 / 0
except ZeroDivisionError:
    print("not suppressed")


class Res:
    def close(self):
        print("closed")


with closing(Res()) as r:
    print(type(r).__name__)
with nullcontext(5) as n:
    print("null", n)

buf = io.StringIO()
with redirect_stdout(buf):
    print("captured", 1, 2)
print(repr(buf.getvalue()), sys.stdout is not buf)


class CM:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    def __enter__(self):
        print("enter", self.name)
        return self.name

    def __exit__(self, t, v, tb):
        print("exit", self.name, t.__name__ if t else None)
        return self.swallow


with ExitStack() as stack:
    names = [stack.enter_context(CM(n)) for n in "xyz"]
    stack.callback(print, "callback", names)
print("after stack")
with ExitStack() as stack:
    stack.enter_context(CM("outer", swallow=True))
    stack.enter_context(CM("inner"))
    raise KeyError("boom")
print("swallowed by outer")
with ExitStack() as stack:
    stack.enter_context(CM("p"))
    moved = stack.pop_all()
print("popped")
moved.close()
try:
    with ExitStack() as stack:
        stack.enter_context(object())
except TypeError as e:
    print("TypeError:", e)
