# STORE_SUBSCR's list[int] path drops the replaced item and the list where they lie: inline
# and heap items, a list whose last reference was the stack's, augmented stores, negative and
# bool indexes, errors, and an item that is the list itself.
v = [1.5, 2.5, 3.5]
v[0] -= 0.5
v[-1] += 1.0
v[True] *= 2
print(v)
s = ["a", "b"]
s[0] = "x" * 3
s[1] += "y"
print(s)
[1, 2, 3][1] = "gone"
make = lambda: [[0], [1]]
make()[0] = None
L = [0, 1]
L[0] = L
L[0] = 5
print(L)
nested = [[1, 2], [3, 4]]
nested[1][0] = nested[0]
nested[0][1] = 9
print(nested)
for bad in (5, -3):
    try:
        s[bad] = 1
    except IndexError as e:
        print(type(e).__name__, e)
try:
    s["k"] = 1
except TypeError as e:
    print(type(e).__name__, e)
t = [0] * 4
for i in range(4):
    t[i] += i * i
print(t)
