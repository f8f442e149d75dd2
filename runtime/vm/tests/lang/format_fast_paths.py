# f-strings and format specs: fill/align/sign/width/grouping/precision on ints and floats,
# fixed-point rounding on exact ties and near them, tiny and huge values, and the errors.
import math
floats = [0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, -0.125, 0.005, 0.015, 0.025, 1.005,
          2.675, 1 / 3, -1 / 3, 2 / 3, 123.456, 999.995, 999.9949999, 1e16, 1.5e16, 9.99e16,
          1e17, 1.23e22, 5e-324, 1e-20, 7e-21, 2.2250738585072014e-308, 0.1, 0.7, 1e-5,
          123456789.987654321, -9876.54321, 4503599627370495.5, 4503599627370497.0,
          math.pi, -math.e, float("inf"), float("-inf"), float("nan"), 1.7976931348623157e308]
specs = [".2f", ".0f", ".1f", ".3f", ".6f", ".10f", ".17f", ".20f", "f", "F", ">12.2f", "<12.2f",
         "^12.2f", "=+12.2f", "012.2f", "+.2f", " .2f", ",.2f", "_.3f", "z.2f", "#.0f", ".2%",
         "*^15,.1f", "x>9.1f", ".2e", ".3g", "g", "", "10", "<10", ".5"]
for x in floats:
    print(repr(x), " ".join(format(x, s) for s in specs))
for i in range(-3, 4):
    x = i / 8
    print(i, f"{x:.2f} {x:.1f} {x:.0f} {-x:.2f} {x * 1000:,.2f}")
ints = [0, 1, -1, 7, 42, -42, 999, 1000, -123456, 2**31, -2**63, 2**64, 10**30, True, False]
ispecs = [">5", "<5", "^5", "=5", "05", "+", " ", "-", ",", "_", "x", "#x", "#_b", "o", "X",
          "c", "e", ".2f", "%", "*>+9,", "d", "n", "", "10d", "#010x", "^+8", "_x", "g"]
for v in ints:
    row = []
    for s in ispecs:
        try:
            row.append(format(v, s))
        except (ValueError, OverflowError) as e:
            row.append(type(e).__name__)
    print(repr(v), "|".join(row))
for i in range(0, 100000, 7919):
    print(f"item {i}: {i * 2:>5} {i / 3:.2f} {i:_} {-i:08.1f} {i!r:>8} {str(i)!s:^7}|{i / 7:e}")
name = "wörld"
print(f"{name} {name!r} {name:>8} {name:*<9} {name:.2} {name:^11.3}|{'':>3}|{'x' * 30}|{name}{name}")
print(f"{'é' * 11}{'a' * 11}", len(f"{'é' * 11}{'a' * 11}"), f"{1}{2}{3}", f"{None} {[1, 'a']} {(1,)}")
def bad(spec, v=1.5):
    try:
        print(spec, repr(format(v, spec)))
    except Exception as e:
        print(spec, type(e).__name__, e)
for spec in [".2d", "x", ",_f", "_,f", ".f", "=^5", "zd", "+c", "#c", "==5", "1000000000000000000000f", ".2s", "ss"]:
    bad(spec)
    bad(spec, 5)
    bad(spec, "s")
class F:
    def __format__(self, spec):
        return "F<" + spec + ">"
print(f"{F():>5} {F()} {F():.2f}")
