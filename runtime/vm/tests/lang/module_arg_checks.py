# Argument checks of module functions, in CPython 3.13's words (METH_O, METH_NOARGS, the
# positional checker and Argument Clinic), and their ok paths.
import gc
import math
import os
import sys
import time

calls = []
for n in ["sqrt", "exp", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
          "tanh", "fabs", "log2", "log10", "floor", "ceil", "trunc", "isnan", "isinf",
          "isfinite", "degrees", "radians", "factorial", "isqrt", "fsum"]:
    calls.append((getattr(math, n), n))
for n in ["log", "atan2", "pow", "copysign", "fmod", "hypot", "gcd", "isclose", "prod"]:
    calls.append((getattr(math, n), n))
for n in ["time", "perf_counter", "monotonic", "process_time"]:
    calls.append((getattr(time, n), "time." + n))
for n in ["disable", "enable"]:
    calls.append((getattr(gc, n), "gc." + n))
calls.append((os.getcwd, "os.getcwd"))
for n in ["exit", "getrecursionlimit", "setrecursionlimit", "exc_info", "exception", "intern",
          "get_int_max_str_digits"]:
    calls.append((getattr(sys, n), "sys." + n))

for f, n in calls:
    for args, kw in [((), {}), ((1,) * 5, {}), ((1,), {"zz": 1}), ((), {"x": 1})]:
        try:
            f(*args, **kw)
            r = "ok"
        except TypeError as e:
            r = "TypeError: " + str(e)
        except SystemExit:
            r = "SystemExit"
        except (ValueError, OverflowError) as e:
            r = type(e).__name__
        print(n, len(args), sorted(kw), r)

print(math.sqrt(4), math.pow(2, 10), math.log(8, 2), math.atan2(0, 1), math.hypot(3, 4))
print(math.floor(2.5), math.gcd(12, 18), math.gcd(), math.hypot())
print(math.isclose(1.0, 1.0 + 1e-12), math.isclose(1, 1.1, rel_tol=0.2), math.isclose(a=1, b=1))
print(math.isclose(1, 2, abs_tol=1.5), math.prod([2, 3]), math.prod([2, 3], start=10))
try:
    math.isclose(1, 1, rel_tol=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    math.isclose(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)
try:
    sys.intern(1)
except TypeError as e:
    print("TypeError:", e)
print(sys.intern("abc"), type(time.time()).__name__, sys.getrecursionlimit() > 0)

# Methods of StringIO and array.
import array
import io

s = io.StringIO()
arr = array.array("i", [1, 2, 3])
for f, n in [(s.write, "write"), (s.getvalue, "getvalue"), (s.read, "read"), (s.flush, "flush"),
             (arr.append, "append"), (arr.extend, "extend"), (arr.tolist, "tolist"),
             (arr.pop, "pop")]:
    for args, kw in [((), {}), ((1,) * 5, {}), ((1,), {"zz": 1})]:
        try:
            r = f(*args, **kw)
        except TypeError as e:
            r = "TypeError: " + str(e)
        print(n, len(args), sorted(kw), r)
print(s.write("ab"), s.getvalue(), arr.pop(0), arr.tolist())
s.close()
