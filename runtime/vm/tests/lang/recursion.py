# Deep recursion raises RecursionError (never a crash); the limit is adjustable.
import sys

def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)

def depth(n):
    return n if n == 0 else 1 + depth(n - 1)

print(depth(900))
sys.setrecursionlimit(3000)
print(sys.getrecursionlimit(), depth(2500))
try:
    x = [0] * (10 ** 12)
except MemoryError as e:
    print("MemoryError", type(e).__name__)
def f():
    f()
f()
