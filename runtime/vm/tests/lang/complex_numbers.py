# complex as a value type: literals, constructor, attributes, arithmetic with int/float/
# complex, errors, equality, hashing, repr/str and the negative-float power case.
# Expected output from CPython 3.13.
import math

z = 1 + 2j
print(2j, z, -1j, 1.5j, 0j, -0j, 1e16j, 1.5 + 1e-7j, (1 + 2j) * (-0.0))
print(repr(complex(0.0, -0.0)), repr(complex(-0.0, -1)), complex(math.nan, math.inf), complex(1, -math.inf))
print(str(2j), str(z), [z, 3j], (z,), {"k": -2.5j})
print(type(z).__name__, type(2j) is complex, isinstance(z, complex), isinstance(1.0, complex), complex.__name__)
print(z.real, z.imag, type(z.real).__name__, z.conjugate(), (3j).conjugate(), 2j.imag)

# Constructor.
print(complex(), complex(2), complex(2.5), complex(True), complex(1, 2), complex(1.5, -0.5))
print(complex(real=1, imag=2), complex(imag=3), complex(1j, 1j), complex(z), complex(2**70))
for s in ["1+2j", " (1+2j) ", "-j", "+j", "j", "2J", "1e5-1e-3J", "inf-nanj", "1_0j", "3", "-1.5", "(4)", "1e400j"]:
    print(repr(s), complex(s))
for args in [("abc",), ("1+2j", 3), (1, "2"), (None,), ([],), (1, None), ("1 + 2j",), ("1+2",), ("",), ("()",), ("1+jj",)]:
    try:
        print(complex(*args))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

class C:
    def __complex__(self):
        return 3 + 4j

class F:
    def __float__(self):
        return 2.5

class I:
    def __index__(self):
        return 7

print(complex(C()), complex(F()), complex(I()), complex(F(), I()))

# Arithmetic with int, float, bool and complex on either side.
for a in [z, 2, 2.5, True, -3j]:
    for b in [1 - 1j, 3, 0.5, 2j]:
        print(a, b, a + b, a - b, a * b, a / b)
print(1j ** 2, 1j ** 2.5, (1 + 1j) ** -3, 2 ** 1j, (1 + 1j) ** (0.5 + 0.5j), (-3 + 4j) ** 1j, (0.5 - 1j) ** (2 - 1j), (2j) ** 0, 0j ** 0, 0j ** 2, (1 + 1j) ** 100)
print((-8) ** (1 / 3), (-8.0) ** 0.5, (-2.0) ** 1.5, pow(-1.0, 0.5))
print(-z, +z, -(0j), +(-0j), abs(3 + 4j), abs(-2j), abs(complex(1e308, 1e308)))
print(sum([1j, 2, 3.5]), 1j + True, z * 0, z / 1, 1 / 2j, (1 + 2j) / (3 - 4j))
w = 1j
w += 1
w *= 2
w -= 0.5j
w /= 2
print(w, z * z.conjugate())

def err(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: 1j / 0)
err(lambda: 1j / 0j)
err(lambda: 1 / (0 + 0j))
err(lambda: 0j ** -1)
err(lambda: 0j ** 1j)
err(lambda: 1j // 2)
err(lambda: 1j % 2)
err(lambda: divmod(1j, 2))
err(lambda: 1j @ 2)
err(lambda: 1j & 1)
err(lambda: 1j < 2j)
err(lambda: 1j <= 1)
err(lambda: 2.0 > 1j)
err(lambda: int(1j))
err(lambda: float(1j))
err(lambda: round(1j))
err(lambda: "a" + 1j)
err(lambda: 1j + "a")
err(lambda: [1] * 1j)
err(lambda: (10 + 10j) ** 1000)
err(lambda: pow(1j, 2, 3))
err(lambda: pow(2, 2, 1j))

# Equality and hashing.
print(1j == 1j, complex(1, 0) == 1, complex(1, 0) == 1.0, 1 == complex(1, 0), 1j != 1, 1j == "1j", 1j == None)
print(complex(2**53 + 1, 0) == 2**53 + 1, complex(1, 0) == True, complex(math.nan, 0) == complex(math.nan, 0))
n = complex(math.nan, 0)
print(n == n, n != n, n in [n], [n] == [n])
print(hash(1j), hash(complex(2.5, 0)) == hash(2.5), hash(complex(3, 0)) == hash(3), hash(complex(-1, 0)), hash(1e300j), hash(1 + 2j), hash(-0.5 - 0.25j))
d = {1: "int", 2j: "complex"}
print(d[complex(1, 0)], d[2j], {1, 1.0, complex(1, 0)}, 2j in d, len({1j, 1j, complex(0, 1)}))
print(bool(0j), bool(1e-300j), bool(complex(0, -0.0)), not 1j, 1j or 5, 0j or 5)
if 2j:
    print("truthy literal")

# Formatting: str, and fill/align/width.
print(f"{z}", f"{3j:>12}|", f"{z:*^14}", format(-0j, ""), "%s %r" % (z, -1j), str(complex(1, math.nan)))

# Constant folding paths: tuples, negation, comparisons at compile time.
t = (1, 2j, -3j, 1 + 0j)
print(t, t[1] * t[2], -(1 + 1j), 2j * 2j, 1j * 1j == -1)

# format() with presentation types, precision, signs and the refused specs.
zf = 1.5 + 2j
cases = [(zf, s) for s in ["", "10", "<12", "*^16", "+", " ", ".2f", "+.3e", "10.1f", ".2", ".3g", "g", "G", "e", "F", ",.2f", "#g", "%", "d", "010", "0<10", "=10", "s", "n"]]
cases += [(3j, s) for s in ["", ".2f", "+", " ", ".2", "10", "g"]] + [(-0j, ".1f"), (complex(-0.0, 1), ""), (complex(1e20, -1e-5), ".3"), (complex(float("nan"), float("-inf")), "f"), (1234567.5 + 0j, ",")]
for v, s in cases:
    try:
        print(repr(s), repr(format(v, s)))
    except Exception as e:
        print(repr(s), type(e).__name__, e)
print(f"{zf:>12.1f}|{3j:.1f}|{zf!r:>10}")

# printf-style formatting and the explicit dunders.
print("%s|%r|%5s" % (2j, 1 + 2j, 1j), "%s" % (z,), (1 + 2j).__repr__(), (3j).__str__())
