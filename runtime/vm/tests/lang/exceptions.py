# Exceptions: try/except/else/finally, raise from, chaining, custom classes, assert, with.
class MyError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code

def risky(n):
    if n == 0:
        raise MyError(42, "zero!")
    return 10 / n

for n in (0, 2):
    try:
        r = risky(n)
    except MyError as e:
        print("MyError", e.code, e, e.args)
    else:
        print("ok", r)
    finally:
        print("finally", n)

try:
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError("converted") from e
except ValueError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__)

try:
    try:
        [][1]
    except IndexError:
        raise TypeError("during")
except TypeError as e:
    print(repr(e), repr(e.__context__))

def f():
    try:
        return "from try"
    finally:
        print("finally runs")
print(f())

try:
    assert 1 == 2, "math broke"
except AssertionError as e:
    print("AssertionError", e)

for exc in (ZeroDivisionError, KeyError, IndexError, AttributeError, NameError):
    print(exc.__name__, exc.__mro__[1].__name__, issubclass(exc, Exception))

try:
    undefined_name
except NameError as e:
    print(e)

try:
    int("abc")
except ValueError as e:
    print(e)

try:
    raise MyError(1, "x")
except (KeyError, MyError) as e:
    print("tuple catch", type(e).__name__)

def nested():
    try:
        raise RuntimeError("inner")
    except RuntimeError:
        print("handling")
        raise

try:
    nested()
except RuntimeError as e:
    print("reraised", e)

e = None
try:
    1 / 0
except ZeroDivisionError as err:
    e = err
print(type(e).__name__, str(e))
try:
    raise KeyError("a", "b")
except KeyError as k:
    print(k, k.args)
print(repr(ValueError()), str(ValueError("x")), repr(KeyError("k")))
x = 0
while True:
    try:
        x += 1
        if x == 3:
            break
        continue
    finally:
        print("loop finally", x)
class E2(Exception):
    pass
try:
    raise E2
except Exception as e:
    print(repr(e), e.args)
def gen_raise():
    raise ValueError("uncaught here")
def caller():
    gen_raise()
caller()
