# UNPACK_SEQUENCE's fast path: tuples and lists of one to five items (two and three are
# written straight), heap and inline values, a list unpacked from inside its own sort (CPython
# shows it empty there), wrong lengths, and lists aliased into their own unpacking.
a, = [1]
b, c = ["x", 2.5]
d, e, g = (None, [1], "s")
h, i, j, k = [1, 2, 3, 4]
l, m, n, o, p = (5, 4, 3, 2, 1)
print(a, b, c, d, e, g, h, i, j, k, l, m, n, o, p)
L = [3, 1, 2]
def key(x):
    try:
        u, v, w = L
        return (u, v, w)
    except ValueError as exc:
        print("during sort:", exc)
        return x
L.sort(key=key)
print(L)
for bad in ([1, 2], (1, 2, 3, 4), [], "ab"):
    try:
        q, r, s = bad
    except ValueError as exc:
        print(type(exc).__name__, exc)
M = [0, 0]
M[0], M[1] = M, M
x, y = M
print(x is M, y is M)
pairs = [([1.0, 2.0, 3.0], [4, 5, 6], 7), ([8, 9, 10], [11, 12, 13], 14)]
for ([x1, y1, z1], v, m) in pairs:
    print(x1 + y1 + z1, v, m)
t = ("a", "b")
u, w = t
print(u + w, t)
