# Strs around the length where their text stops being stored inline (22 bytes): building
# by +=, non-ASCII characters straddling the boundary, comparisons, hashing, slicing.
pieces = ["a", "é", "€", "𝄞", "bc"]
for p in pieces:
    s = ""
    seen = []
    for i in range(30):
        s += p
        seen.append(s)
    for t in seen[8:16]:
        u = p * (len(t) // len(p))
        print(len(t), len(t.encode()), t == u, hash(t) == hash(u), t[-1] == p[-1], t[3:5] == u[3:5])
    d = {t: i for i, t in enumerate(seen)}
    print(len(d), d[p * 11], d[p * 12], (p * 11) in d, sorted(seen, reverse=True)[0] == seen[-1])
edge = ["x" * 21, "x" * 22, "x" * 23, "é" * 11, "a" + "é" * 11, "é" * 10 + "ab", "é" * 12]
for e in edge:
    print(len(e), len(e.encode()), e.upper()[:3], e.split("é")[:2], repr(e + "!")[-4:], e < e + "y", e[::-1] == "".join(reversed(e)))
s = "abcdefghijklmnopqrstu"
s += "v"
s += "w"
s += "xyz"
print(s, len(s), s.find("w"), s == "abcdefghijklmnopqrstuvwxyz")
t = "ééééééééééé"
t += "é"
print(t, len(t), t.count("é"), {t: 1}.get("é" * 12))
