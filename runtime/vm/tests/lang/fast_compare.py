# Comparisons and float powers the interpreter loop computes inline (COMPARE_OP on two ints
# or two floats, also when it runs the POP_JUMP_IF_* after it; BINARY_OP `**` on a positive
# float base): results must agree with the general path, NaN and signed zeros included.
nan = float("nan")
inf = float("inf")
ints = [0, 1, -1, 7, 2**62, -(2**63), 2**63 - 1]
floats = [0.0, -0.0, 1.5, -1.5, inf, -inf, nan, 1e308]
for group in (ints, floats, [1, 1.0, True, 2**64, 0.5, -0.0]):
    for a in group:
        row = []
        for b in group:
            row.append((a < b, a <= b, a == b, a != b, a > b, a >= b))
        print(repr(a), row)
# The same comparisons steering jumps (`if`, `while`, `not`, chained, short-circuit).
def branches(a, b):
    out = []
    if a < b:
        out.append("lt")
    if not a >= b:
        out.append("not ge")
    if a == b:
        out.append("eq")
    else:
        out.append("ne")
    if a < b < 100:
        out.append("chain")
    if a > 0 and b > 0 or a != a:
        out.append("andor")
    n = 0
    while n < a and n < 5:
        n += 1
    out.append(n)
    x = a <= b
    out.append(x)
    return out
for a, b in [(1, 2), (2, 1), (3, 3), (1.5, 2.5), (nan, 1.0), (-0.0, 0.0), (7, 7.0), (2.0, 3)]:
    print(a, b, branches(a, b))
# A class with rich comparisons still goes through its methods.
class C:
    def __lt__(self, o):
        print("C.__lt__")
        return "yes"
    def __eq__(self, o):
        return 0
if C() < 1:
    print("truthy lt")
if C() == 1:
    print("never")
else:
    print("falsy eq")
# Float powers: positive bases inline; zero and negative bases, overflow and the special
# values take the general path. (A negative base with a fractional exponent gives a complex
# number in CPython; vigil has no complex type, so that case is left out.)
for a in [2.0, 0.5, 1.0, 10.0, 1e-300, inf, nan, 0.0, -0.0, -2.0]:
    row = []
    for b in [2.0, -1.5, 0.5, 0.0, -0.0, 1e10, -1e10, inf, -inf, nan, 3.0]:
        if a < 0 and b != int(b) if b == b and abs(b) != inf else False:
            continue
        try:
            row.append(a ** b)
        except (OverflowError, ZeroDivisionError, ValueError) as e:
            row.append(type(e).__name__)
        except Exception as e:
            row.append(type(e).__name__)
    print(a, row)
for expr in ["10.0 ** 400", "1e308 ** 2", "2.0 ** 1024", "2.0 ** -1075", "0.5 ** -2000"]:
    try:
        print(expr, eval(expr))
    except OverflowError as e:
        print(expr, "OverflowError", e)
x = 1.0001
for _ in range(3):
    x **= 1.5
print(x)
