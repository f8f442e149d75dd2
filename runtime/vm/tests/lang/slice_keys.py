# Slices are hashable by value (CPython 3.12+): dict keys, set members, KeyError on a miss.
s = slice(1, 2)
print(s == slice(1, 2), s != slice(1, 3), s < slice(1, 3), slice(None, 2) == slice(None, 2, None))
print(s == (1, 2, None), slice(1, 2, 3) <= slice(1, 2, 3), slice(0, 5) > slice(0, 4, 9))
print(hash(s), hash(slice(None, None, None)), hash(slice(-1, -1, -1)), hash(slice(1, 2, 3)))
print(hash(slice(1, 2)) == hash(slice(1, 2, None)), hash(s) == hash((1, 2, None)))
print(hash(slice(1.0, True, 0)) == hash(slice(1, 1, 0.0)))
print(hash(None), hash((None, 1)), {None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})

for bad in (slice([], 1), slice(1, {}), slice(1, 2, {1}), slice((1, []), 2)):
    try:
        hash(bad)
    except TypeError as e:
        print("TypeError:", e)

d = {}
try:
    d[1:2]
except KeyError as e:
    print("KeyError", repr(e), e.args)
try:
    d[1:2:3]
except KeyError as e:
    print("KeyError", repr(e))
try:
    d[::]
except KeyError as e:
    print("KeyError", repr(e))
d[1:2] = "a"
d[::3] = "b"
d[slice(None, 2)] = "c"
d[None:2:None] = "d"
print(d)
print(d[1:2], d[slice(1, 2)], d[:2], d[::3], slice(1, 2) in d, slice(2, 1) in d)
del d[1:2]
print(d)
try:
    del d[5:6]
except KeyError as e:
    print("KeyError", repr(e))
try:
    d[[]:2]
except TypeError as e:
    print("TypeError:", e)
try:
    d[1:2:[]] = 0
except TypeError as e:
    print("TypeError:", e)

st = {slice(1, 2), slice(1, 2), slice(1, 2, None), slice("a", "b")}
print(len(st), slice(1, 2) in st, slice("a", "b") in st, slice("a", "c") in st)
fs = frozenset([slice(0, 1), slice(0, 1)])
print(len(fs), fs == frozenset({slice(0, 1)}))
try:
    {slice([], 1)}
except TypeError as e:
    print("TypeError:", e)
print({(slice(1, 2), 3): 1}[(slice(1, 2), 3)])
print(sorted([slice(3, 1), slice(1, 2), slice(1, 1)]))
try:
    slice(1, 2) < slice("a", 2)
except TypeError as e:
    print("TypeError:", e)

# Sequences still slice as before.
print([1, 2, 3][1:2], (1, 2, 3)[::2], "abc"[slice(1, None)])
