# Int and float arithmetic the interpreter loop computes inline (BINARY_OP fast paths):
# results must agree with the general path, including overflow to big ints, floor
# division signs, int-to-float conversion and the division-by-zero errors.
import sys

M = sys.maxsize
vals = [0, 1, -1, 7, -7, 3, -3, 2**31, -(2**31), M, -M - 1, 2**53 + 1, -(2**53) - 1]
for a in vals:
    row = []
    for b in vals:
        row.append(a * b)
        if b != 0:
            row.append(a // b)
            row.append(a % b)
    print(a, row)
x = -M - 1
print(x // -1, x * -1, x * x, M * 2, M * M)
fl = [0.5, -2.25, 1e300, -0.0, 3.0]
for f in fl:
    for i in [1, -3, 2**53 + 1, M, 0]:
        r = [f + i, i + f, f - i, i - f, f * i, i * f]
        if i != 0:
            r.append(f / i)
        if f != 0.0:
            r.append(i / f)
        print(f, i, r)
print(1.0 / 3.0, -7.5 / 2.5, 2**63 // 3, (2**63 - 1) * 1.0)
for expr in ["1.0 / 0", "1 / 0.0", "1.0 / 0.0", "5 // 0", "5 % 0", "0.0 / -0.0"]:
    try:
        print(expr, eval(expr))
    except ZeroDivisionError as e:
        print(expr, "ZeroDivisionError", e)
t = 10
t //= -3
print(t)
t *= 2**40
t *= 2**40
print(t)
u = 1.5
u /= 2
u -= 3
u += 1
u *= -2
print(u)
