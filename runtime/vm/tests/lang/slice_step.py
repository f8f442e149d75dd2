# Subscripts with a three-part slice (`c[a:b:s]`) and slice assignment from temporary lists
# (whose values the interpreter moves in, and whose list object it reuses for the next slice).
# Each case checks a result, an error, or that the subscript is still its own instruction.
import sys


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


a = list(range(10))
t = tuple(range(10))
for s in [(None, None, -1), (None, None, 2), (1, 8, 3), (-2, None, -2), (8, 1, -3),
          (100, -100, -1), (-100, 100, 4), (5, 5, 1), (None, 3, None), (3, None, None)]:
    show(("list", s), lambda: a[s[0]:s[1]:s[2]])
    show(("tuple", s), lambda: t[s[0]:s[1]:s[2]])

k = 3
show("reverse from k", lambda: a[k::-1])
show("zero step list", lambda: a[::0])
show("zero step tuple", lambda: t[1:2:0])
show("bool parts", lambda: a[True:None:True])
show("float part", lambda: a[1.0::1])
show("str", lambda: "abcdefg"[::2])
show("range", lambda: range(20)[3:15:4])


class Idx:
    def __init__(self, n):
        self.n = n

    def __index__(self):
        print("  __index__", self.n)
        return self.n


show("index parts", lambda: a[Idx(1):Idx(9):Idx(2)])


class Seq:
    def __getitem__(self, k):
        return ("got", k)


show("instance", lambda: Seq()[1:2:3])

# The result is a new object, never the operand.
b = a[::1]
b.append(99)
print("copy", len(a), len(b), a[::1] is a)

# A slice held in a variable goes the general way.
sl = slice(None, None, -2)
print("slice object", a[sl], t[sl])

# Fannkuch's flip: reverse a prefix in place.
perm = [3, 1, 4, 0, 2]
k = perm[0]
while k:
    perm[:k + 1] = perm[k::-1]
    k = perm[0]
print("flips", perm)

# Slice assignment from a temporary list (its values are moved, the list object reused) and
# from lists that are still referenced (copied; later changes to either stay apart).
a = list(range(10))
a[2:5] = a[5:2:-1]
print("temp same length", a)
a[2:5] = a[0:1]
print("temp shorter", a)
a[::2] = a[1::2][::-1]
print("temp extended", a)
src = [100, 200]
a[:2] = src
src[0] = -1
a[0] += 1
print("kept source", a, src)
b = a[::-1]
a[0:len(b)] = b
b.append("x")
print("named temp", a, b)
for i in range(3):
    w = a[i:i + 3:1]
    a[i + 1:i + 4] = w[::-1]
    print("loop", i, a, w)


# Under INSTRUCTION events the subscript is still its own instruction.
def sub(x):
    return x[1:7:2]


E = sys.monitoring.events
seen = []
sys.monitoring.use_tool_id(3, "t")
sys.monitoring.register_callback(3, E.INSTRUCTION, lambda code, off: seen.append(off))
sys.monitoring.set_local_events(3, sub.__code__, E.INSTRUCTION)
print("monitored", sub(a), sub(t))
print("events", len(seen), seen == sorted(seen[:7]) * 2)
sys.monitoring.set_local_events(3, sub.__code__, 0)
print("unmonitored", sub(a))
sys.monitoring.free_tool_id(3)


def bad(x):
    return x[::0]


# Uncaught, so the traceback shows where the error is reported: at the subscript.
bad(a)
