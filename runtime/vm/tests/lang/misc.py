# Assorted statements and expressions: walrus, ternary, chained comparisons, del, global in
# nested scopes, augmented assignment on attributes/subscripts, star-args everywhere,
# __getattr__/__setattr__, __getitem__ iteration, class attributes via instances, etc.
data = [3, 1, 4, 1, 5, 9, 2, 6]
if (n := len(data)) > 5:
    print("long", n)
print("big" if n > 7 else "small", 1 < 2 < 3 < 4, 3 > 2 == 2, x is not None if (x := 1) else 0, "a" not in "bcd")
x = [1, 2, 3]
del x[1]
print(x)
d = {"a": [1, 2]}
d["a"][0] += 10
d["a"] += [3]
print(d)
class P:
    n = 0
    def __init__(self):
        self.v = 1
p = P()
p.v += 5
P.n += 1
p.n += 100
print(p.v, P.n, p.n)
def f(*args, **kwargs):
    return args, kwargs
print(f(*[1, 2], *(3,), **{"a": 1}, b=2))
print([*range(3), *"ab"], {**{"x": 1}, "y": 2}, (*[1], 2))
class Dyn:
    def __getattr__(self, name):
        return "dyn_" + name
    def __setattr__(self, name, value):
        object.__setattr__(self, name.upper(), value)
dd = Dyn()
dd.foo = 5
print(dd.bar, dd.FOO, dd.foo)
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * 10
print(list(Seq()), 20 in Seq())
class Counter:
    total = 0
    @classmethod
    def bump(cls, k=1):
        cls.total += k
        return cls.total
    @staticmethod
    def twice(v):
        return v * 2
Counter.bump(); Counter().bump(5)
print(Counter.total, Counter.twice(4))
def gen_fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
fib = gen_fib()
print([next(fib) for _ in range(15)])
total = 0
for i in range(10):
    if i % 2:
        continue
    if i > 7:
        break
    total += i
else:
    total = -1
print(total)
for i in []:
    pass
else:
    print("for-else ran")
n = 0
while n < 3:
    n += 1
else:
    print("while-else", n)
s = "abc"
print(s * 2, s[0] + s[-1], s.upper().lower(), f"{s!r:>8}|{s:<5}|{3.5:06.2f}|{42:#x}|{1e10:g}|{0.000012345:.3g}")
print("%-6s|%6.2f|%+d|%05d|%c|%%" % ("ab", 3.14159, 5, 42, 65))
print(sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]), max([(1, "a"), (1, "b")]))
nested = {"k": {"inner": [1, {"deep": True}]}}
print(nested["k"]["inner"][1]["deep"], nested.get("z", {}).get("q"))
a = b = c = 7
a, b = b + 1, a + 2
print(a, b, c)
t = 1,
print(t, type(t).__name__, (), (1, 2) + (3,))
print(int("-12"), float("-1.5e3"), str(-0.0), bool(0.0), abs(-0), round(1234.5678, -2), round(0.5), round(1.5))
print(list(map(lambda x, y: x * y, [1, 2, 3], [4, 5, 6])), list(zip(*[(1, 2), (3, 4)])))
print(any(c.isdigit() for c in "ab1"), all(c.isalpha() for c in "ab1"), sum([[1], [2]], []))
print(isinstance([], (list, tuple)), issubclass(KeyError, LookupError), callable(len), callable(3))
print(hash((1, 2)) == hash((1, 2)), id(x) == id(x), type(None).__name__, type(print).__name__)
print(getattr(p, "v"), hasattr(p, "zz"), divmod(17, 5), pow(2, 10), 7 // 2 * 2 + 7 % 2)
print(repr(1e100), repr(1.0e-10), 1e15, 1e16, 123456789.123456789, -1.5e-7, 0.1 + 0.7)
print("tab\tsep".expandtabs(4), "a-b-c".rsplit("-", 1), "xyz".index("z"), "ab".join("12"))
print(ord("€"), chr(8364), "é".upper(), "ß".upper(), "İ".lower() == "i̇", len("🎉"), "🎉"[0])
lst = [5, 2, 8]
lst.sort(reverse=True)
print(lst, lst.count(8), lst.index(2), [1, 2, 3][::-1], [1, 2, 3, 4][1::2], "hello"[::2])
def scope_test():
    res = []
    for i in range(3):
        def inner(j=i):
            return j * i
        res.append(inner())
    return res
print(scope_test())
class WithSlots:
    __slots__ = ["a"]
class SubSlots(WithSlots):
    __slots__ = ["b"]
ss = SubSlots()
ss.a, ss.b = 1, 2
print(ss.a, ss.b)
print(str(type(ss)), str(SubSlots), repr(len))
g = (i for i in range(3))
print(list(g), list(g))
print(sorted([3, 1, 2], key=None), sorted("bca"), list(reversed(range(4))), list(enumerate([])))
print(min(4, 2, 8), max([1, 5], default=0), min([], default="empty"), max("abc"))
print(bin(-5), hex(-255), oct(0), int(2.9e18), int(-0.5), 10 ** 18 * 10, 2 ** 0.5 * 2 ** 0.5)
print(f"{'a' + 'b'}", f"{1}{2}", f"{{literal}}", f"{x!s}", f"{3!a}", f"{'x':*^7}", f"{-3:+}", f"{12345678:,}")
print(1 if [] else 2, [] or "default", 0 and "x", None or 0, "a" and "b")
