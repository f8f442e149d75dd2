# Method calls on builtin receivers through the LOAD_ATTR cache: the same site sees many
# types, errors come from the right method, and user classes with the same method names
# (instances, whose own lookups must win) share sites with plain receivers.
def call_add(s, x):
    s.add(x)
    return s

def call_append(l, x):
    l.append(x)
    return l

def call_get(d, k):
    return d.get(k, "dflt")

def call_pop(c):
    return c.pop()

class MyList:
    def __init__(self, items):
        self.items = list(items)
    def append(self, x):
        self.items.append(x * 10)
    def __repr__(self):
        return f"MyList({self.items})"

class MySetBase:
    def __init__(self, items):
        self.items = set(items)
    def add(self, x):
        self.items.add(x)
    def __iter__(self):
        return iter(self.items)

class MySet(MySetBase):
    pass

class MyDict:
    def get(self, k, d=None):
        return ("mine", k)

for _ in range(3):
    print(sorted(call_add({1}, 2)), sorted(call_add(MySet({1}), 3)))
    print(call_append([1], 2), call_append(MyList([1]), 2))
    print(call_get({1: 2}, 1), call_get({1: 2}, 5), call_get(MyDict(), 1))
    print(call_pop([1, 2]), call_pop({7}), call_pop([3, 4]))
for v in [{1: 2}, "s", (1,), 3]:
    try:
        print(call_pop(v))
    except (TypeError, AttributeError, KeyError) as e:
        print(type(e).__name__, e)

# A subclass overriding after its instances went through the site, an instance attribute
# shadowing the method, then the base's method again.
MySet.add = lambda self, x: print("MySet.add", x)
print(sorted(call_add(MySet({1}), 4)))
del MySet.add
print(sorted(call_add(MySet({1}), 5)))
m = MySet({1})
m.add = lambda x: print("instance add", x)
print(sorted(call_add(m, 6)))
del m.add
print(sorted(call_add(m, 7)))

# Wrong arguments through a cached method.
def add_two(s):
    return s.add(1, 2)
for _ in range(2):
    try:
        add_two(set())
    except TypeError as e:
        print("TypeError", e)

# Unhashable and error paths, then success at the same site.
for x in [[1], 2, {3}, 4]:
    try:
        print(sorted(call_add(set(), x)))
    except TypeError as e:
        print("TypeError", e)

# Builtin types cannot be patched; their methods stay what they were.
try:
    list.append = None
except TypeError as e:
    print("TypeError", e)
print(call_append([], 1))

# Strings and numbers at one site, with the method found on each type.
def upper_or(v):
    try:
        return v.upper()
    except AttributeError as e:
        return "AttributeError: " + str(e)
for v in ["ab", b"cd", 1, "ef", 2.0, b"gh", "ij"]:
    print(upper_or(v))
def conj(v):
    return v.conjugate()
for v in [1, 2.5, True, 3, 1.5]:
    print(conj(v))
