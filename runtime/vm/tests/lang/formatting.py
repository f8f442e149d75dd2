# format() specs over many values, % and str.format corner cases, float str/round.
vals = [0, 1, -1, 42, -42, 3.14159, -2.5, 1e20, 1.5e-7, 123456789, 0.1, float("inf"), float("nan"), True, "str", 2**70]
specs = ["", "5", "<8", ">8", "^9", "+", "-", " ", "08", ",", "_", ".2f", ".3e", ".4g", "%", ".1%", "x", "#x", "#o", "#b", "X", "n", "c", "10.3f", "*^12.2f", "=+10"]
for v in vals:
    row = []
    for s in specs:
        try:
            row.append(format(v, s))
        except (ValueError, TypeError) as e:
            row.append("E:" + type(e).__name__ + ":" + str(e)[:30])
    print(repr(v), row)
print("%s %r %a %5.1f %-5d| %+.2e %x %X %o %c %%" % ("é", "é", "é", 2.25, 3, 12345.678, 255, 255, 8, 97))
print("%(x)s %(y)05.1f" % {"x": [1], "y": 2.345}, "%.3s" % "abcdef", "%*d" % (5, 42), "%-*.*f|" % (8, 2, 3.14159))
print("{0}{1}{0}".format("a", "b"), "{name}:{0[1]}".format([1, 2], name="n"), "{:{w}.{p}f}".format(3.14159, w=10, p=3))
print(f"{12.0:g} {100000000.0:g} {1e-5:g} {123.456:.2g} {0.0:e} {-0.0:f} {5:03} {'ab':>{4}}")
print(str(1e16), str(1.0e15), 1/7, 2/3, 1e-4, 1e-5, 100.0, 1e300*1e10, -1e-320)
print(round(2.675, 2), round(-0.5), round(1e20), round(123.456, 1), round(5, -1), round(15, -1), round(25, -1))
