import math
import os.path as osp
from collections import OrderedDict as OD, deque
from math import *

x: int = 5
a, *b, c = range(6)
(d, e), f = (1, 2), 3
s = "abc"[1:], "abcdef"[::2], "abcdef"[1:-1:2]
lst = [1, 2, 3, 4]
lst[1:3] = [9]
lst[0] += 1
del lst[0], lst[-1:]
obj = type("O", (), {})()
obj.attr = 1
obj.attr *= 3
del obj.attr
t = (1, 2, 3)
big = 2 ** 100
neg = -5 // 2, -5 % 3, 7 / 2, ~3, +4, not 0
fs = f"{x:>{4}} {s!r} {3.14159:.2f} {'q'=}"
pct = "%s and %r" % (x, s)
pct2 = "%d" % (x,)
dd = {**{"a": 1}, "b": 2}
st = {*t, 4}
walrus = [y for z in range(3) if (y := z * 2)]
chained = 1 < x < 10
if __name__ == "__main__":
    print(x, a, b, c, d, e, f, s, lst, t, big, neg, fs, pct, pct2, dd, st, walrus, chained, y)
    print(math.pi, osp.basename("/a/b"), OD(), deque(), floor(2.5))
