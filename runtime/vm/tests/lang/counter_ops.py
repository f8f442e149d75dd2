# Counter's multiset operators against CPython: keys only in the right operand (negative
# counts for -), a dict or int operand (NotImplemented, then TypeError), unary + and -.
from collections import Counter
a = Counter(a=3, b=1, c=-2)
b = Counter(b=2, c=1, d=-4, e=5)
for x, y in ((a, b), (b, a), (a, a), (Counter(), b)):
    print(x + y, x - y, x & y, x | y)
for op in ("__add__", "__sub__", "__and__", "__or__"):
    print(op, getattr(a, op)({"a": 1}))
try:
    a + {"a": 1}
except TypeError as e:
    print(e)
try:
    a - 3
except TypeError as e:
    print(e)
print(+Counter(a=-1, b=2), -Counter(a=-1, b=2))
