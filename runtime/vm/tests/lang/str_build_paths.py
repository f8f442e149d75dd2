# Strs built from pieces: concatenation, str(int), f-string pieces and join, around the
# length where a str's text stops being stored inline; their hashes and dict lookups.
ints = [0, 7, -7, 10, -10, 99, 100, 2**31, -2**31, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 10**25]
for i in ints:
    s = str(i)
    print(s, len(s), f"{i}", f"<{i}>", repr(s), s == format(i), hash(s) == hash(format(i, "")))
print(str(True), str(False), f"{True}{False}{None}", str(-0), f"{-0.0}", f"{1.5}")
parts = ["", "a", "é", "ab" * 5, "x" * 11, "y" * 12, "€" * 7, "z" * 30]
for p in parts:
    for q in parts:
        c = p + q
        f = f"{p}{q}"
        j = "".join([p, q])
        print(len(c), c == f == j, hash(c) == hash(f) == hash(j), c[-1:], f.upper()[:2], j.find(q) if q else -2)
d = {}
for i in range(300):
    k = "k" + str(i % 100)
    d[k] = d.get(k, 0) + 1
    w = "wörd" + str(i % 50) + "ü" * (i % 9)
    d[w] = d.get(w, 0) + 1
print(len(d), d["k0"], d["k99"], d.get("k100"), d["wörd0"], d.get("wörd0üü"), sorted(d)[:3], sorted(d)[-2:])
print({"a" + "b": 1}["ab"], {"x" * 23: 2}["x" * 22 + "x"], "k" + str(5) in d)
print(hash("k5") == hash("k" + str(5)), hash("é" * 20) == hash("é" * 10 + "é" * 10), hash("a" * 30) == hash("".join(["a"] * 30)))
print(hash(""), hash("abc"), hash("é"), hash("€"), hash("𝄞"), hash("a" * 40))
