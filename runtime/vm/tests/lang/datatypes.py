# Numbers, strings, containers, slicing, unpacking.
print(7 // 2, -7 // 2, 7 // -2, 7 % 3, -7 % 3, 7 % -3, 2 ** 10, 2 ** -1, 10 / 4)
print(2 ** 64, -(2 ** 63), (2 ** 63) // 3, (10 ** 20) % 7, divmod(-7, 2), divmod(7.5, 2))
print(0.1 + 0.2, 1e16, 1e-5, 1.0, -0.0, 3.0 * 1.1, 1 / 3, float("inf"), 2.5e-300 * 1e-300)
print(round(2.5), round(3.5), round(2.675, 2), round(-1.5), abs(-3), abs(-2.5), int(3.9), int(-3.9))
print(7044577470827281968 / 66174, 1 << 70, (1 << 70) >> 68, -1 >> 3, 5 & 3, 5 | 3, 5 ^ 3, ~5)
print(hex(255), oct(8), bin(5), int("ff", 16), int("0b101", 0), float("1.5"), str(1.5e300))
print(True + True, True * 3, 3 > 2 > 1, 1 < 2 > 3, 1 == 1.0, hash(1) == hash(1.0))
s = "Hello, World"
print(s.upper(), s.lower(), s.split(", "), s[::-1], s[1:5], s[-5:], s.find("o"), s.count("l"))
print(s.replace("l", "L"), s.startswith("Hell"), s.endswith("x"), "  pad  ".strip() + "|")
print(",".join(["a", "b", "c"]), "a b  c".split(), "x".center(5, "*"), "42".zfill(5), "ab" * 3)
print(repr("it's"), repr('say "hi"'), repr("tab\there\n"), len("héllo"), "héllo"[1])
print("%d items cost %.2f (%s) %5s|%-5s| %x %o %e %r" % (3, 9.5, "ok", "r", "l", 255, 8, 12345.678, "q"))
print("{} {:>6} {:<4}| {:^7} {:08.3f} {:,} {:x} {!r}".format(1, "right", "l", "mid", 3.14159, 1234567, 255, "s"))
n, w = 3.14159, 10
print(f"{n:.3f} {n:{w}.2f} {w!r} {w*2} {'nested'}")
lst = [5, 3, 8, 1]
lst.append(9); lst.extend([2]); lst.insert(0, 0); lst.remove(8)
print(lst, lst.pop(), lst.pop(0), lst.index(3), sorted(lst), sorted(lst, reverse=True), lst[1:3])
lst[1:3] = [10, 20, 30]
print(lst, lst[::2], len(lst), min(lst), max(lst), sum(lst), 10 in lst)
del lst[0]
lst.sort(key=lambda v: -v)
print(lst, list(reversed(lst)), [1, 2] + [3], [0] * 3)
t = (1, "two", 3.0)
a, b, c = t
first, *rest = [1, 2, 3, 4]
*init, last = "abc"
print(a, b, c, first, rest, init, last, t.index("two"), t.count(1), t[1:])
d = {"b": 2, "a": 1}
d["c"] = 3
print(d, list(d), list(d.keys()), list(d.values()), list(d.items()), d.get("z", 0), len(d))
print(d.pop("a"), d.setdefault("e", 5), d, "b" in d, {**d, "f": 6})
del d["b"]
print(d, dict(x=1, y=2), dict([("k", "v")]), dict.fromkeys("ab", 0))
st = {3, 1, 2}
st.add(10); st.discard(1)
print(st, {1, 2} | {3}, {1, 2} & {2, 3}, {1, 2} - {2}, {1, 2} ^ {2, 3}, 2 in st, len(st))
print(set("hello") == set("olleh"), frozenset([1, 2]), sorted({"banana", "apple", "cherry"}))
print({10, 3, 100, -1, 2**61}, {"b", "a", "c", "hello", "x"})
print(list(range(5)), list(range(10, 0, -3)), range(3), len(range(0, 100, 7)), list(enumerate("ab", 1)))
print(list(zip([1, 2, 3], "ab")), list(map(str, [1, 2])), list(filter(None, [0, 1, 2, 0])), any([0, 1]), all([]))
print(isinstance(1, int), isinstance(True, int), type(1.0).__name__, type("x"), type([]) is list)
print(chr(65), ord("a"), bool(""), bool([0]), None is None, str(None), int(True))
print(b"abc", b"abc"[0], bytes([104, 105]), "é".encode(), b"x".decode(), len(b"\x00\x01"))
x = [1, 2, 3]
y = x
y += [4]
print(x is y, x, x == [1, 2, 3, 4], [1, 2] < [1, 3], (1, 2) < (1, 2, 0), "abc" < "abd")
print(max("apple", "fig", key=len), min([3, 1, 2]), sorted(["b", "A", "c"], key=str.lower))
print(str(123), repr(1.5), float(3), int("  42  "), 10 ** -2, 0.1 * 3, 1e22, 123456789012345678.0)
print(divmod(10**30, 7), pow(3, 4, 5), pow(2, 0.5), (-8) ** (1/3) if False else 0)
big = 12345678901234567890123
print(big * big, big // 7, -big % 1000, str(big)[:5], big.bit_length(), (255).to_bytes(2, "big"))
matrix = [[1, 2], [3, 4]]
print([[row[i] for row in matrix] for i in range(2)], [v for row in matrix for v in row if v % 2])
a, (b, c) = 1, (2, 3)
print(a, b, c)
print(" ".join(f"{i}:{c}" for i, c in enumerate("xyz")), "a,b,,c".split(","), "line1\nline2".splitlines())
print(1_000_000, 0x_ff, "no complex", "%s%%" % 5, "%(a)s-%(b)d" % {"a": "x", "b": 2})
