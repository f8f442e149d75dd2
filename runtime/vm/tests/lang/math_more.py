# math: lcm, comb, perm, dist, modf, frexp, ldexp, cbrt, exp2, expm1, log1p, asinh,
# acosh, atanh, with CPython's domain, range and type errors.
import math

print(math.lcm(), math.lcm(4, 6), math.lcm(-4, 6, 10), math.lcm(0, 5), math.lcm(2**70, 3), math.lcm(True, 7))
print(math.comb(10, 3), math.comb(5, 0), math.comb(5, 7), math.comb(100, 50), math.comb(10, 10), math.comb(True, 1))
print(math.perm(5, 2), math.perm(5), math.perm(5, 0), math.perm(3, 5), math.perm(20, None), math.perm(30, 3))
for f, args in [(math.comb, (-1, 2)), (math.comb, (5, -2)), (math.perm, (-3,)), (math.comb, (5.0, 2)),
                (math.lcm, (2.5,)), (math.perm, (4, "2")), (math.comb, (1,))]:
    try:
        print(f(*args))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(math.dist((0, 0), (3, 4)), math.dist([1.5, 2, 3], (4, 6, 8.25)), math.dist((), ()), math.dist((1,), (-2,)))
try:
    math.dist((1, 2), (1,))
except ValueError as e:
    print("ValueError", e)
for x in (3.75, -3.75, 0.0, -0.0, 5.0, 1e300, float("inf"), float("-inf"), 2**53 + 0.5):
    print(x, math.modf(x), math.frexp(x))
print(math.modf(float("nan")), math.frexp(float("nan")), math.frexp(5e-324), math.frexp(-1e-310), math.frexp(7))
for x, e in ((0.5, 4), (1.0, -1074), (1.0, -1075), (1.5, -1074), (0.75, -1073), (1.0, 1023), (1.9, 1023),
             (-2.5, 10), (1.0, -2000), (0.0, 10**30), (5e-324, 1074), (1.2345, -1030)):
    print(x, e, math.ldexp(x, e))
for x, e in ((1.0, 1024), (1.0, 10**30)):
    try:
        math.ldexp(x, e)
    except OverflowError as err:
        print("OverflowError", err)
try:
    math.ldexp(1.0, 2.0)
except TypeError as err:
    print("TypeError", err)
# cbrt is checked where every libm agrees (platform libms differ in the last digit elsewhere).
print(math.cbrt(8.0), math.cbrt(-1.0), math.cbrt(0.0), math.cbrt(1000), math.cbrt(-0.0))
for f in (math.exp2, math.expm1, math.log1p, math.asinh, math.acosh, math.atanh):
    out = []
    for x in (-27.0, -1.0, -0.5, 0.0, 1e-10, 0.5, 1.0, 2.0, 8, 1000.0):
        try:
            out.append(repr(f(x)))
        except (ValueError, OverflowError) as e:
            out.append(type(e).__name__)
    print(f.__name__, " ".join(out))
