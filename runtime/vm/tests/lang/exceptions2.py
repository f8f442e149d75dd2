# with/finally/exc_info details and an uncaught custom exception.
import sys
def g():
    try:
        yield 1
    finally:
        print("gen finally")
for v in g():
    print(v)
class Res:
    def __init__(self, n): self.n = n
    def __enter__(self):
        print("enter", self.n); return self
    def __exit__(self, *a):
        print("exit", self.n, a[0].__name__ if a[0] else None); return False
try:
    with Res(1) as r1, Res(2) as r2:
        print("inside", r1.n, r2.n)
        raise ValueError("v")
except ValueError:
    print("propagated")
def ret_in_finally():
    for i in range(3):
        try:
            if i == 1:
                return i
        finally:
            print("fin", i)
print(ret_in_finally())
def exc_info_demo():
    try:
        raise KeyError("k")
    except KeyError:
        t, v, tb = sys.exc_info()
        print(t.__name__, v)
    print(sys.exc_info()[0])
exc_info_demo()
try:
    try:
        raise TypeError("a")
    finally:
        print("cleanup runs")
except TypeError as e:
    print("outer got", e)
def nested_handlers():
    try:
        try:
            1 / 0
        except ZeroDivisionError as e:
            raise ValueError("wrapped") from None
    except ValueError as e:
        print(e, e.__cause__, e.__suppress_context__, repr(e.__context__))
nested_handlers()
class MyErr(Exception):
    def __str__(self):
        return "custom str"
try:
    raise MyErr()
except MyErr as e:
    print(e, repr(e))
e2 = ValueError("a", 1)
print(e2, e2.args, str(KeyError()), repr(StopIteration(5)))
try:
    raise StopIteration(7)
except StopIteration as si:
    print(si.value)
print(isinstance(ValueError(), Exception), issubclass(StopIteration, BaseException))
def raiser():
    raise MyErr("x")
raiser()
