import sys
def f(n):
    return f(n + 1)
try:
    f(0)
except RecursionError as e:
    print("function:", e)
class R:
    def __repr__(self):
        return repr(self)
try:
    repr(R())
except RecursionError as e:
    print("repr:", e)
class E:
    def __eq__(self, o):
        return self == o
try:
    E() == E()
except RecursionError as e:
    print("eq:", e)
def g(n):
    yield from g(n + 1)
try:
    list(g(0))
except RecursionError as e:
    print("generator:", e)
print("limit", sys.getrecursionlimit())
sys.setrecursionlimit(50)
try:
    f(0)
except RecursionError as e:
    print("lowered:", e)
