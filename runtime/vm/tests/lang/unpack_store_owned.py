# UNPACK_SEQUENCE takes the sequence off the stack and gives its reference up in place, and
# STORE_SUBSCR's list path moves the value into the list and drops the list reference and
# the old item after: sequences whose last reference was the stack's, items that outlive
# them, objects with their own __iter__ and __setitem__ (the general way), and the errors.
def fresh_pair():
    return ([1, 2], "ab" * 2)

def fresh_list():
    return [{"k": 1}, (3, 4), 5.5]

a, b = fresh_pair()
print(a, b)
c, d, e = fresh_list()
print(c, d, e)
(x, y), z = ((1.5, 2.5), [3])
print(x + y, z)
for (p, q), r in [((i, [i]), str(i)) for i in range(3)]:
    print(p, q, r)

class L:
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return iter([7, 8, 9])
    def __setitem__(self, i, v):
        print("setitem", i, v)
        self.items[i] = v
    def __getitem__(self, i):
        return self.items[i]

u, v, w = L([1, 2, 3])
print(u, v, w)
ll = L([0, 0])
ll[1] = 4.0
ll[0] += 1
print(ll.items)

items = [[1.0], "s", (2,)]
kept = items[1]
items[1] = None
items[0] = items[0]
items[2] = items
print(kept, items[0], items[2] is items, len(items))
def make():
    return [object(), object()]
make()[1] = 3.0
for bad in ([1.0, 2.0], (1, 2, 3, 4), iter([1])):
    try:
        f, g, h = bad
    except ValueError as exc:
        print(type(exc).__name__, exc)
grid = [[0.0] * 3 for _ in range(2)]
for i in range(2):
    for j in range(3):
        grid[i][j] += i * 3 + j + 0.5
        grid[i][j - 3] *= 2
print(grid)
try:
    grid[0][3] = 1.0
except IndexError as exc:
    print(type(exc).__name__, exc)
try:
    grid[0][-4] += 1.0
except IndexError as exc:
    print(type(exc).__name__, exc)
