# LOAD_GLOBAL answers from a per-name cache keyed by the versions of the globals and the
# builtins tables; every way a lookup's answer can change must be seen on the next run
# (vigil has no `builtins` module, so builtins are shadowed through the globals only).
x = 1


def get_x():
    return x


def get_len():
    return len("abc")


def get_missing():
    return missing_name


for i in range(3):
    print("x", get_x())
x = 2
print("rebound", get_x())
globals()["x"] = 3
print("via globals()", get_x())
print("len", get_len(), get_len())
len = lambda s: "shadowed " + s
print("shadowed by a global", get_len())
del len
print("global deleted", get_len())
globals()["len"] = lambda s: 42
print("shadowed through globals()", get_len())
del globals()["len"]
print("deleted through globals()", get_len())
for i in range(2):
    try:
        print(get_missing())
    except NameError as e:
        print("missing", e)
    missing_name = "now here"
print("found", get_missing())


def counter():
    global total
    total += 1
    return total


total = 0
print([counter() for _ in range(5)], total)


def make_closure():
    def inner():
        return x, total
    return inner


f = make_closure()
print(f())
x = "changed"
print(f())
# Many names in one function, each rebound in turn.
a0 = a1 = a2 = a3 = 0


def many():
    return a0 + a1 + a2 + a3


for k in range(4):
    globals()["a%d" % k] = k + 10
    print("many", k, many())
