# Generators: yield, yield from, send, throw, close, generator expressions, coroutines.
def gen():
    x = yield 1
    print("got", x)
    y = yield x * 2
    print("got", y)
    return "done"

g = gen()
print(next(g), g.send(10))
try:
    g.send(20)
except StopIteration as e:
    print("stop", e.value)

def inner():
    yield 1
    yield 2
    return "inner-result"

def outer():
    r = yield from inner()
    print("inner returned", r)
    yield 3

print(list(outer()))

def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            print("caught", e)
            yield "handled"

c = catcher()
print(next(c), c.throw(ValueError("boom")), next(c))
c.close()
print("closed")

def fin():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")

f = fin()
next(f)
f.close()

print(sum(x * x for x in range(10)), list(x for x in "abc" if x != "b"))
print({k: v for k, v in zip("ab", (1, 2))}, {x % 3 for x in range(10)}, [y for x in [[1, 2], [3]] for y in x])

async def add(a, b):
    return a + b

async def compute():
    x = await add(1, 2)
    y = await add(x, 10)
    return y

co = compute()
try:
    co.send(None)
except StopIteration as e:
    print("coroutine result", e.value)

class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n

print(list(Countdown(4)))
it = iter([1, 2])
print(next(it), next(it), next(it, "end"))
def delegate_throw():
    try:
        yield from catcher()
    except KeyError:
        yield "outer"
d = delegate_throw()
print(next(d), d.throw(ValueError("x")))
def bad():
    yield 1
    raise StopIteration
try:
    list(bad())
except RuntimeError as e:
    print("RuntimeError:", e)
gen_obj = (i for i in range(3))
print(type(gen_obj).__name__, next(gen_obj), list(gen_obj))
def g2():
    yield
print(list(g2()))
def early():
    return 5
    yield
try:
    next(early())
except StopIteration as e:
    print("value", e.value)
