# Three-part slices (`c[a:b:s]`, BUILD_SLICE then BINARY_SUBSCR), which the interpreter takes
# in one step for lists, tuples and strs with int/None/bool parts, next to the parts and
# containers that go the general way; the numbers at the edges of an i64 included.
import sys


def show(label, f):
    try:
        r = f()
        print(label, type(r).__name__, r)
    except Exception as e:
        print(label, type(e).__name__, e)


a = [0, "one", 2.5, (3,), [4], None, True, 7, "eight", 9]
t = tuple(a)
s = "abcdefghij"
u = "aé€😀bcd"
big = 2 ** 70
edge = [0, 1, -1, 2, -2, 3, 9, 10, 11, -10, -11, 2 ** 62, -(2 ** 62), 2 ** 63 - 1, -(2 ** 63)]
for c in (a, t, s, u):
    for st in (1, -1, 2, -3, 2 ** 63 - 1, -(2 ** 63)):
        rows = []
        for lo in edge:
            rows.append(c[lo::st])
            rows.append(c[:lo:st])
        print(type(c).__name__, st, rows)
    print(c[None:None:None], c[True:None:True], c[::False or None])

show("big start", lambda: a[big::1])
show("big stop", lambda: a[:-big:-1])
show("big step", lambda: t[::big])
show("neg big step", lambda: s[::-big])
show("zero step", lambda: a[1:5:0])
show("float part", lambda: t[0.5::1])
show("str part", lambda: s["a"::1])
show("range", lambda: range(10)[1::3])
show("bytes", lambda: b"abcdef"[::-2])
show("bytearray", lambda: bytearray(b"abcdef")[1::2])


class Idx:
    def __index__(self):
        return 2


show("index part", lambda: a[Idx()::Idx()])

# The result is new and independent; the operand keeps its items.
x = [[1], [2], [3]]
y = x[::-1]
y[0].append("shared")
y.append("only y")
print(x, y, x[::1] is x, len(x))

# Reversed prefixes, as fannkuch flips them, with the slice read back at once.
p = [4, 2, 0, 3, 1, 5]
for k in range(len(p)):
    p[:k + 1] = p[k::-1]
    print(k, p, p[k::-1], p[-1:-k - 2:-1])


def nested(v, k):
    # The subscript result feeds another subscript and a call.
    return len(v[k::-1][::2]), v[k::-1][0]


print(nested(list(range(20)), 11), nested("abcdefghijklmnop", 7))

# An error inside the subscript is reported at its line, with the traceback's caret there.
def bad(v, k):
    return v[
        k::0
    ]


try:
    bad(a, 1)
except ValueError as e:
    print("caught", e)
bad(t, 2)
