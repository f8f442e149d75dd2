# Functions: defaults, keywords, *args, **kwargs, keyword-only, closures, nonlocal, global,
# lambdas, decorators, recursion, and argument errors.
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))

print(f(1, c=3))
print(f(1, 5, 6, 7, c=3, e=9, d=0))

def pos_only(a, b, /, c):
    return a + b + c

print(pos_only(1, 2, c=3))

def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc

c = counter()
c(); c()
print(c())

G = 10
def setg():
    global G
    G = 20
setg()
print(G)

sq = lambda x, y=1: x * x + y
print(sq(3), sq(3, y=0), (lambda: 42)())

def deco(fn):
    def wrapper(*a, **k):
        return ("wrapped", fn(*a, **k))
    wrapper.__name__ = fn.__name__
    return wrapper

@deco
def hello(name):
    return "hi " + name

print(hello("bob"), hello.__name__)

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(30))

def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([a(10) for a in make_adders()])

def check(calls):
    for call in calls:
        try:
            call()
        except TypeError as e:
            print("TypeError:", e)

check([lambda: f(), lambda: f(1, 2), lambda: pos_only(1, b=2, c=3), lambda: sq(1, 2, 3), lambda: f(1, c=1, c2=3, a=2)])

def kwonly(*, x):
    return x
try:
    kwonly()
except TypeError as e:
    print(e)
print(kwonly(x=5))
args = (1, 2)
kw = {"c": 3}
print(pos_only(*args, **kw))
print(f.__name__, f.__qualname__, f.__defaults__, f.__kwdefaults__)
def outer():
    def inner():
        pass
    return inner
print(outer().__qualname__)
