# Suspended generators are closed when dropped (finally blocks run), as CPython's refcounting does.
def gen(tag):
    try:
        yield 1
        yield 2
    finally:
        print("cleanup", tag)
for x in gen("a"):
    break
print("after break")
g = gen("b")
next(g)
g = None
print("after rebind")
def f():
    h = gen("c")
    next(h)
    return "f done"
print(f())
def plain():
    yield 1
    yield 2
p = plain(); next(p); p = None
# A returning function drops its locals in slot order, so their generators close in that order.
def two():
    a = gen("first local")
    next(a)
    b = gen("second local")
    next(b)
    return "two done"
print(two())
k = gen("module-level")
next(k)
print("end of program")
