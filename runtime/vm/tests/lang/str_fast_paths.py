# Fast paths of str methods: ASCII and non-ASCII receivers, separators, maxsplit, ranges,
# and the errors. (vigil refuses str subclasses, so none appear here.)

def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

texts = ["The quick brown fox", "  lead and trail  ", "", "   ", "one",
         "tab\tnew\nline\x0bvt\x0cff\rcr\x1cfs\x1fus end",
         "héllo wörld  ünï", "a\u3000b\u2028c\xa0d", "x\x85y"]
for t in texts:
    show("split", lambda: t.split())
    show("split1", lambda: t.split(None, 1))
    show("split0", lambda: t.split(maxsplit=0))
    show("rsplit1", lambda: t.rsplit(None, 1))
    show("split o", lambda: t.split("o"))
    show("split o 1", lambda: t.split("o", 1))
    show("rsplit o 1", lambda: t.rsplit("o", 1))
    show("split sep kw", lambda: t.split(sep=" ", maxsplit=2))
    show("upper", lambda: t.upper())
    show("find o", lambda: t.find("o"))
    show("find ö", lambda: t.find("ö"))
    show("rfind o", lambda: t.rfind("o"))
    show("find empty", lambda: t.find(""))
    show("rfind empty", lambda: t.rfind(""))
    show("find 2..", lambda: t.find("o", 2))
    show("find -5", lambda: t.find("o", -5))
    show("find 1,4", lambda: t.find("o", 1, 4))
    show("count o", lambda: t.count("o"))
    show("count ö", lambda: t.count("ö"))
    show("count ll", lambda: t.count("ll"))
    show("count empty", lambda: t.count(""))
    show("count o 3 9", lambda: t.count("o", 3, 9))
    show("index lo", lambda: t.index("lo"))
    show("rindex o", lambda: t.rindex("o"))
    show("startswith", lambda: (t.startswith("The"), t.startswith(("x", "hé")), t.startswith("", 50)))
    show("endswith", lambda: (t.endswith("x"), t.endswith(("ï", "fox")), t.endswith("e", 0, 3)))
    show("len", lambda: len(t))

print("aaaa".count("aa"), "aaaa".find("aa", 1), "aaaa".rfind("aa"), "abcabc".rfind("bc", 0, 4))
print("abc".find("", 3), "abc".find("", 4), "abc".count("", 2), "abc".count("", 5))
print("ünï".find("ï"), "ünï".count("n"), "ünïünï".rfind("ün"), "ünïünï".find("ï", 3))

# join: lists, tuples, generators, one item, empty, non-ASCII, a subclass, errors.
print(" ".join(["a", "b", "c"]), "-".join(("x",)), repr("".join([])), ", ".join(iter("xyz")))
print("é".join(["ü", "a", "ï"]), len("é".join(["ü", "a", "ï"])), "".join(["a", "ü"]).upper())
words = ["only"]
print(" ".join(words) is words[0], " ".join(w for w in "ab"), type(" ".join(["x"])).__name__)
show("join int", lambda: " ".join(["a", 1]))
show("join none", lambda: " ".join(None))
show("join bytes", lambda: "".join([b"x"]))
show("join 2 args", lambda: "".join([], []))
show("split int", lambda: "a b".split(1))
show("split empty", lambda: "a b".split(""))
show("split empty bad max", lambda: "a b".split("", "x"))
show("split max str", lambda: "a b".split(" ", "x"))
show("find int", lambda: "abc".find(1))
show("count int", lambda: "abc".count(None))
show("count nothing", lambda: "abc".count())
show("index missing", lambda: "abc".index("z"))
show("startswith int", lambda: "abc".startswith(1))
show("startswith tuple int", lambda: "abc".startswith(("a", 1)))
show("str.split on int", lambda: str.split(3))
show("str.join on int", lambda: str.join(3, []))
show("unbound split", lambda: str.split("a  b"))
show("unbound join", lambda: str.join("+", ["a", "b"]))
big = "word " * 1000
print(len(big.split()), big.count("wo"), big.find("word", 4000), big.rfind("d w"), len(" ".join(big.split())))
# Windows that start past the end, or end before they start.
for args in [(3,), (4,), (5,), (2, 1), (3, 3), (-1,), (-10,), (0, -10), (1, 100)]:
    print(args, "abc".find("", *args), "abc".rfind("", *args), "abc".count("", *args),
          "abc".startswith("", *args), "abc".endswith("", *args), "abc".find("c", *args),
          "abc".startswith(("z", ""), *args))
show("startswith past end bad tuple", lambda: "abc".startswith(("z", 1), 5))
show("find bad start", lambda: "abc".find("a", "x"))
show("rfind None", lambda: "abc".rfind(None))
show("index list", lambda: "abc".index([]))
class It:
    def __iter__(self):
        print("iter called")
        return iter(["p", "q"])
class BadIt:
    def __iter__(self):
        raise KeyError("inner")
print("+".join(It()))
show("join bad iter", lambda: "".join(BadIt()))
show("join gen error", lambda: "".join(1 // 0 for _ in "a"))
print("abc".find("a", 10**30), "abc".find("c", -10**30), "abc".count("b", True), "abc".startswith("c", 2, 10**20))
# Short and long haystacks, needles at the edges, overlapping candidates.
for hay in ["abababc", "ab" * 40 + "c", "xyz", "éaéb" * 20 + "éc"]:
    for sub in ["abc", "ab", "ba", "c", "éc", "zz", hay, hay + "x", "bab"]:
        print(hay.find(sub), hay.rfind(sub), hay.count(sub), hay.find(sub, 1, -1), hay.rfind(sub, 0, -1), end=" | ")
    print()
