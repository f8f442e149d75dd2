# int/int true division at the edges of float range, and math domain errors (CPython 3.13).
import math
for a, b in [(1, 10**320), (3, 7 * 10**310), (2**60 + 1, 3), (-(2**70) - 5, 2**17 + 1), (10**22, 7), (10**30 + 1, 10**29)]:
    print(a / b)
for a, b in [(10**400, 3), (-10**400, 7)]:
    try:
        print(a / b)
    except OverflowError as e:
        print("OverflowError", e)
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError", e)
print(math.sqrt(2.0), math.log(-1.0) if False else math.log(8, 2))
