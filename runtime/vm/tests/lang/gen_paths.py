# Generator and coroutine paths the VM takes shortcuts on: starting a generator without the
# dispatch loop (cells and free variables of its prologue), the delegate of a suspended
# `yield from`/`await` (gi_yieldfrom, cr_await, throw, close, drop), and the error states.


def cells(a, b):
    # `a` is an argument and a cell; `c` a cell only.
    c = a + b
    yield (lambda: a + c)
    a = 100
    yield (lambda: a + c)


g = cells(1, 2)
f1 = next(g)
print(f1())
f2 = next(g)
print(f1(), f2())


def outer(k):
    def gen(n):
        for i in range(n):
            yield i * k
    return gen


print(list(outer(3)(4)))
print(tuple(x + y for x in range(3) for y in (10, 20)))
print(sorted({v % 4 for v in (i * i for i in range(9))}))


def sub():
    try:
        yield 1
        yield 2
    finally:
        print("sub finally")
    return "sub-result"


def deleg():
    r = yield from sub()
    print("deleg got", r)
    yield "after"


d = deleg()
print(d.gi_yieldfrom)
print(next(d))
s = d.gi_yieldfrom
print(type(s).__name__, s.gi_running, s.gi_suspended)
print(next(d), d.gi_yieldfrom is s)
print(next(d), d.gi_yieldfrom)
print(list(d), d.gi_yieldfrom)


def watch():
    me = yield "start"
    print("running, yieldfrom:", me.gi_yieldfrom, me.gi_running)
    yield "end"


w = watch()
next(w)
print(w.send(w))


def listdeleg():
    yield from [7, 8]


ld = listdeleg()
next(ld)
print(ld.gi_yieldfrom is not None)

# throw and close go to the delegate first.
d = deleg()
next(d)
try:
    d.throw(KeyError("k"))
except KeyError as e:
    print("thrown out:", repr(e))
print(d.gi_yieldfrom, d.gi_suspended)

d = deleg()
next(d)
d.close()
print("closed", d.gi_suspended, d.gi_yieldfrom)

# Dropping a suspended delegating generator closes its delegate.
d = deleg()
next(d)
del d
print("after del")


def plain():
    yield 1
    print("never")


p = plain()
next(p)
p.close()
print("plain closed")


def selfnext():
    yield next(me)


me = selfnext()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)
try:
    next(me)
except StopIteration:
    print("then exhausted")

fresh = plain()
try:
    fresh.send(5)
except TypeError as e:
    print("TypeError:", e)
try:
    fresh.throw(IndexError("i"))
except IndexError as e:
    print("raised at start:", repr(e))
print(next(fresh, "exhausted"))


async def leaf(n):
    return n * 2


class Pause:
    def __await__(self):
        v = yield "paused"
        return v


async def middle():
    a = await leaf(3)
    b = await Pause()
    return a + b


async def top():
    return await middle() + await leaf(1)


co = top()
print(co.cr_await)
print(co.send(None))
print(co.cr_await.__qualname__, co.cr_await.cr_await is not None)
try:
    co.send(10)
except StopIteration as e:
    print("result", e.value)

co = top()
co.send(None)
try:
    co.throw(ValueError("into await"))
except ValueError as e:
    print("await throw:", e)
co = top()
co.send(None)
co.close()
print("coroutine closed", co.cr_await)


async def twice(c):
    return await c


c = leaf(1)
t1 = twice(c)
print(t1.send(None) if False else "skip")
try:
    t1.send(None)
except StopIteration as e:
    print("first await", e.value)
try:
    twice(c).send(None)
except RuntimeError as e:
    print("RuntimeError:", e)


# While the delegate runs, the delegating generator is running too: no gi_yieldfrom.
def inner2():
    yield outer.gi_yieldfrom
    yield outer.gi_yieldfrom


def outer_g():
    yield from inner2()


outer = outer_g()
print(list(outer))


# An awaited coroutine that is still referred to keeps its identity and state after the
# await (only unreferenced finished ones are reused).
async def keep():
    c = leaf(5)
    r = await c
    d = leaf(6)
    r2 = await d
    return c, d, r, r2


try:
    keep().send(None)
except StopIteration as e:
    c, d, r, r2 = e.value
    print(c is d, c.__qualname__, d.__qualname__, r, r2, c.cr_suspended, c.cr_running)
    try:
        c.send(None)
    except RuntimeError as err:
        print("RuntimeError:", err)


# A generator drained by tuple()/list()/set() that is still referred to keeps its identity
# and stays exhausted (only unreferenced finished ones are reused for the next genexpr).
g = (i * 2 for i in range(3))
print(tuple(g), list(g), set(g), next(g, "done"), g.gi_frame, g.gi_running)
h = (i for i in "ab")
print(sorted(set(h)), h is not g, next(h, "done"))
print([tuple(str(j) + c for c in "xy") for j in range(3)])
print([sorted(set(j * k for k in range(4))) for j in range(3)])
print(list(x for x in [1, 2]) == [1, 2], tuple(x for x in ()))
