# A suspended generator whose last reference is dropped by a two-slot store (the
# STORE_FAST_STORE_FAST and STORE_FAST_LOAD_FAST superinstructions) is closed at once: its
# `finally` prints before the next builtin call does, as with CPython's refcounting.
def gen(tag):
    try:
        yield 1
        yield 2
    finally:
        print("closed", tag)


def store_store_first():
    g = gen("store-store, first slot")
    next(g)
    x = 0
    print("before")
    g, x = None, 1
    print("after", g, x)


def store_store_second():
    g = gen("store-store, second slot")
    next(g)
    x = 0
    print("before")
    x, g = 1, None
    print("after", x, g)


def store_store_both():
    a = gen("store-store, both a")
    b = gen("store-store, both b")
    next(a)
    next(b)
    print("before")
    a, b = None, None
    print("after", a, b)


def store_store_swap():
    # Swapping keeps both alive: nothing is closed until the names are rebound.
    a = gen("swap a")
    b = gen("swap b")
    next(a)
    next(b)
    a, b = b, a
    print("swapped")
    a = None
    print("a rebound")
    b = None
    return "swap done"


def store_load():
    g = gen("store-load")
    next(g)
    x = 5
    print("before")
    g = None; r = [x, print("after the store")]
    print("after", r)


def store_load_loop():
    x = 0
    for i in range(3):
        g = gen("loop " + str(i))
        next(g)
        g = i; y = [x, print("next statement", i)]
    print("loop done", g, y)


store_store_first()
store_store_second()
store_store_both()
print(store_store_swap())
store_load()
store_load_loop()
print("end")
