# STORE_FAST moves the top of the stack into the local in place and lets the old value go
# where it lies; a local holding a generator takes the general path, which closes the
# generator at once when that was its last reference.
def gen(tag):
    try:
        yield 1
        yield 2
    finally:
        print("closed", tag)

def rebinding():
    g = gen("a")
    next(g)
    g = 5
    print("after rebind", g)
    h = gen("b")
    keep = h
    next(h)
    h = None
    print("after shared rebind", h)
    del keep
    print("after del")

rebinding()

def objects():
    a = [1]
    b = a
    a = "x"
    b = b + [2]
    c = None
    c = 3.5
    c = c * 2
    s = "abc"
    for s in ("d", "e"):
        pass
    return a, b, c, s

print(objects())

def loop_locals(n):
    total = 0
    item = None
    for i in range(n):
        item = [i]
        total = total + item[0]
    return total, item

print(loop_locals(5))
