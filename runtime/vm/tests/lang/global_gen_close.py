# A generator bound only to a global is closed (its finally runs) at the store that rebinds
# or deletes the global, even when LOAD_GLOBAL's cache of some function has seen it.
def gen(tag):
    try:
        yield 1
        yield 2
    finally:
        print("closed", tag)

def use():
    return G

G = gen("rebind")
next(G)
use()
print("before rebind")
G = 1
print("after rebind")

H = gen("del")
next(H)
print(H is not None)
print("before del")
del H
print("after del")

def f():
    global K
    K = gen("in function")
    next(K)
    x = K
    del x
    print("rebinding K")
    K = None
    print("rebound K")
f()


# A global read by a function whose cache still remembers it, rebound from another module
# function that never loads it.
def reader():
    return N

def rebind():
    global N
    N = 0
    print("rebound N")

N = gen("cached elsewhere")
next(N)
reader()
reader()
rebind()
print("end")
