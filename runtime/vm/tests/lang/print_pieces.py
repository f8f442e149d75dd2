# print's writes as CPython makes them: one write() per piece, separator and end on a Python
# file object; pieces converted before a failing str() are written; sys.stdout = None
# makes print a no-op (it overflowed vigil's stack).
import sys
class Bad:
    def __str__(self):
        raise ValueError("no str")

class Rec:
    def __init__(self):
        self.calls = []
    def write(self, s):
        self.calls.append(s)

r = Rec()
print("a", 1, "b", sep="-", end="!\n", file=r)
print(file=r)
print("x", file=r, end="")
print(r.calls)
r2 = Rec()
try:
    print("a", Bad(), "c", file=r2)
except ValueError as e:
    print("error", e, r2.calls)
try:
    print("partial", Bad(), "z")
except ValueError as e:
    print("\nerror", e)
import io
s = io.StringIO()
try:
    print("p", Bad(), file=s)
except ValueError:
    print(repr(s.getvalue()))
class NoWrite:
    pass
try:
    print("q", file=NoWrite())
except AttributeError as e:
    print("attr", e)
old = sys.stdout
sys.stdout = Rec()
print("to rec", 2)
rec = sys.stdout
sys.stdout = old
print(rec.calls)

sys.stdout = None
print("lost", Bad())
sys.stdout = old
print("back")
