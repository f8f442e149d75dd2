# Paths the dispatch loop's entry no longer prepares for: the arms that look at the next
# word (COMPARE_OP with a jump or not, BINARY_OP's `s += t`, BUILD_SLICE with a subscript or
# not, FOR_ITER over pairs), generators closed when the loop drops them (POP_TOP, global and
# namespace stores and deletions), and frame views of module and function frames.
import sys


def compare_shapes(a, b):
    out = []
    if a < b:
        out.append("lt")
    if not a < b:
        out.append("not lt")
    while a < b:
        a += 1
    out.append(a)
    t = a == b
    out.append(t)
    out.append(1.5 < a)
    out.append([x < 2 for x in range(4)])
    return a < b


def last_compare(a, b):
    return a >= b


def concat(n):
    s = ""
    for i in range(n):
        s += str(i)
    t = "x"
    t = t + "y"
    u = "a"
    u += "b"
    return s, t, u


def concat_last(s):
    s += "!"
    return s


def slices(seq):
    a = seq[1:3]
    b = seq[::2]
    c = seq[1:]
    s = slice(0, 2)
    d = seq[s]
    e = [seq[i:i + 2] for i in range(0, len(seq), 2)]
    return a, b, c, d, e


def pairs(d):
    out = []
    for k, v in d.items():
        out.append((k, v))
    for i, x in enumerate("ab"):
        out.append((i, x))
    for p in zip("xy", "zw"):
        out.append(p)
    for a, b in zip([1, 2], [3, 4]):
        out.append(a + b)
    return out


print(compare_shapes(0, 3), last_compare(2, 2), last_compare(1, 2))
print(concat(5), concat_last("hi"))
print(slices([0, 1, 2, 3, 4]), slices("abcdef"), slices((9, 8, 7)))
print(pairs({"p": 1, "q": 2}))


def gen(tag):
    try:
        yield 1
        yield 2
    finally:
        print("closed", tag)


def dropped_by_pop():
    g = gen("pop")
    next(g)
    del g
    print("after del")
    gen("expr")
    print("after expr")


dropped_by_pop()

def rebind_global():
    global G
    G = gen("global")
    G = None
    print("after global store")
    g = gen("global del")
    next(g)
    G = g
    del g
    del G
    print("after global del")


rebind_global()

H = gen("module name")
next(H)
H = 0
print("after module store")
K = gen("module del")
next(K)
del K
print("after module del")


class Body:
    g = gen("class body")
    next(g)
    g = None
    print("after class store")


def cell_gen():
    g = gen("cell")
    next(g)

    def inner():
        return g

    inner()
    del g
    print("after cell del")


cell_gen()


# Exceptions handled in several frames (PUSH_EXC_INFO / POP_EXCEPT keep sys.exception()).
def handler(n):
    try:
        if n:
            raise ValueError(n)
        return "none"
    except ValueError as e:
        inner = handler(n - 1)
        return (repr(e), repr(sys.exception()), inner)


print(handler(2))
print(sys.exception())


# Frame views: a module frame shows its namespace, a function frame its fast locals.
def view():
    x = 1
    f = sys._getframe()
    return sorted(f.f_locals), f.f_code.co_name, f.f_back.f_code.co_name


print(view())
mod = sys._getframe()
print(mod.f_code.co_name, "view" in mod.f_locals, mod.f_locals is globals())


class C:
    y = 2
    names = sorted(k for k in sys._getframe().f_locals if not k.startswith("__"))


print(C.names)
