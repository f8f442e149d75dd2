# Modules: sys, math, random, io.StringIO, types, array, import of a sibling module.
import sys
import math
import random
import types
from io import StringIO
from array import array
import helper_mod
from helper_mod import double, CONST

print(sys.argv[0].endswith("modules.py"), sys.getrecursionlimit(), type(sys.maxsize).__name__)
print(math.sqrt(16), math.pi, math.floor(-2.5), math.ceil(2.1), math.sin(0), math.cos(0), math.log(math.e))
print(math.isclose(0.1 + 0.2, 0.3), math.gcd(12, 18), math.factorial(10), math.fsum([0.1] * 10), math.hypot(3, 4))
print(math.inf, -math.inf, math.isnan(math.nan), math.trunc(-3.7), math.exp(1), math.atan2(1, 1), math.pow(2, 10))
random.seed(12345)
print(random.random(), random.randint(1, 100), random.randrange(0, 50, 5), random.choice("abcdef"))
lst = list(range(10))
random.shuffle(lst)
print(lst, random.uniform(1, 2))
r = random.Random(7)
print(r.random(), r.randint(0, 9))
buf = StringIO()
buf.write("hello ")
print("world", file=buf)
print(repr(buf.getvalue()))
print(types.FunctionType, isinstance(print, types.BuiltinFunctionType), types.GeneratorType.__name__)
def gf():
    yield
print(isinstance(gf(), types.GeneratorType), isinstance(lambda: 0, types.FunctionType))
a = array("d", [1.0, 2.5])
a.append(3)
b = array("i", range(3))
print(a, b, a[1], len(b), b.tolist(), sum(a))
try:
    array("b", [200])
except OverflowError as e:
    print("OverflowError:", e)
print(helper_mod.greet("x"), double(21), CONST, helper_mod.__name__)
sys.stdout.write("direct write\n")
print("to stderr", file=sys.stderr)
print(sys.stdout is sys.__stdout__)
sys.exit(3)
