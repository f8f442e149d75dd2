# BINARY_SUBSCR's list[int] path reads the items without taking a borrow: a list read from
# inside its own sort (CPython shows it empty there), bool and negative indexes, errors.
L = [3, 1, 2]
def key(x):
    try:
        return L[0]
    except IndexError as e:
        return ("IndexError", str(e))[0] and x
L.sort(key=key)
print(L)
try:
    [1][5]
except IndexError as e:
    print(e)
try:
    [1][-2]
except IndexError as e:
    print(e)
x = [[1, 2], [3, 4]]
print(x[1][0], x[-1][-1])
print([1, 2][True], [1, 2][False])
