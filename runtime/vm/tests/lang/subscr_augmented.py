# `v[i] op= x` compiles to COPY 2; COPY 2; BINARY_SUBSCR ... SWAP 3; SWAP 2; STORE_SUBSCR, and
# a list at an int index in range runs the read and the store as one step each: negative and
# out-of-range indexes, bool indexes, other containers, a right-hand side that shrinks or
# replaces the list before the store, heap items, and the traceback of a failing one.
v = [1.0, 2.0, 3.0]
v[0] -= 0.25
v[-1] *= 2
v[True] += 10
print(v)
d = {"a": 1}
d["a"] += 1
print(d)
s = ["x", "y"]
s[0] += "z" * 2
s[-2] += "!"
print(s)
grid = [[1, 2], [3, 4]]
for i in range(2):
    for j in range(2):
        grid[i][j] += grid[j][i]
print(grid)
L = [10, 20, 30]
L[1] += L.pop()
print(L)
L = [10, 20, 30]
try:
    L[2] -= L.pop(0) + L.pop(0)
except IndexError as e:
    print("IndexError", e)
print(L)
M = [0, 1]
M[0] += len(M.__class__.__name__)
print(M)
n = [[1], [2]]
n[0] += n[1]
n[1] *= 2
print(n)
class Box:
    def __init__(self):
        self.items = [1, 2]
    def __getitem__(self, i):
        print("get", i)
        return self.items[i]
    def __setitem__(self, i, v):
        print("set", i, v)
        self.items[i] = v
b = Box()
b[1] += 5
print(b.items)
t = [1, 2]
for bad in (2, -3):
    try:
        t[bad] += 1
    except IndexError as e:
        print("IndexError", e)
try:
    t["k"] += 1
except TypeError as e:
    print("TypeError", e)
def f(seq, k):
    seq[k] += 1.5
    return seq
print(f([0.5, 1.5], -1))
f([1.0], 3)
