# list[int] reads and writes the interpreter loop does in place on its stack (BINARY_SUBSCR,
# STORE_SUBSCR): negative and out-of-range indices, a list stored into itself, the replaced
# item, and other containers and index types still going the general way.
a = [10, 20, 30]
print(a[0], a[-1], a[2], a[-3])
for i in [3, -4, 2**62, -(2**62)]:
    try:
        print(a[i])
    except IndexError as e:
        print("IndexError", e)
    try:
        a[i] = 0
    except IndexError as e:
        print("IndexError", e)
a[1] = "x"
a[-1] += 5
print(a)
a[0] = a
print(len(a), a[0] is a, a[1], a[0][0] is a)
a[0] = None
print(a)
b = [[1, 2], [3, 4]]
b[0][1], b[1][0] = b[1][0], b[0][1]
print(b)
c = [[7], 1]
held = c[0]
c[0] = 2
print(c, held)
print(a[True], a[False])
a[True] = "t"
print(a, (1, 2, 3)[1], "abc"[-1], {1: "one"}[1])
d = {}
d[0] = 1
print(d)
try:
    print(a["0"])
except TypeError as e:
    print("TypeError", e)
try:
    a[1.0] = 3
except TypeError as e:
    print("TypeError", e)
v = [0.5] * 3
for k in range(3):
    v[k] -= k * 0.25
    v[k] *= v[k]
print(v)
