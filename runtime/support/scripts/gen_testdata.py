"""Regenerates runtime/support/tests/data/*.txt: expectations computed by CPython 3.13.

Run from the repository root:
    PYTHONHASHSEED=0 /root/.cache/cpython3.13/python3.13 runtime/support/scripts/gen_testdata.py

File format: one case per line, fields separated by TAB. Text fields escape backslash, TAB,
CR and LF as \\\\, \\t, \\r, \\n. Floats are written as 16 hex digits of their IEEE bits.
A result starting with '!' is an exception: '!Type: message'.
"""
import math, os, random, struct, sys

assert sys.version_info[:2] == (3, 13), "needs CPython 3.13"
assert os.environ.get("PYTHONHASHSEED") == "0", "run with PYTHONHASHSEED=0"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(20261128)


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def fbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - every exception is an expected outcome
        return "!" + type(e).__name__ + ": " + str(e)
    if isinstance(r, float):
        return fbits(r)
    if isinstance(r, tuple):
        return " ".join(fbits(v) if isinstance(v, float) else str(v) for v in r)
    if isinstance(r, int):
        # Results may exceed the 4300-digit str() limit that the cases themselves test.
        sys.set_int_max_str_digits(0)
        try:
            return str(r)
        finally:
            sys.set_int_max_str_digits(4300)
    return esc(str(r))


def write(name, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(name, len(rows))


def some_floats(n):
    vals = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 1e16, 1e-5, 1e15, 1e17, 1e22, 1e23,
            123.456, 1e-4, 9.999999999999999e15, 5e-324, 2.2250738585072014e-308,
            1.7976931348623157e308, math.inf, -math.inf, math.nan, math.pi, math.e,
            12345678901234567.0, 0.3, 2.675, 1.005, 0.125, 0.375, 1234.5, 99.5, 0.05, 1e100,
            -1e-100, 7.0, 100.0, 1e21, 123456789.0, 0.000123456]
    while len(vals) < n:
        k = rng.randrange(5)
        if k == 0:
            v = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isnan(v):
                continue
        elif k == 1:
            v = rng.uniform(-1e6, 1e6)
        elif k == 2:
            v = round(rng.uniform(-1000, 1000), rng.randrange(0, 6))
        elif k == 3:
            v = rng.randrange(-10**6, 10**6) / 8
        else:
            v = float(rng.randrange(1, 10**rng.randrange(1, 20))) * 10.0 ** rng.randrange(-30, 30)
        vals.append(v)
    return vals


def gen_float_repr():
    rng.seed("gen_float_repr")  # independent stream: adding cases elsewhere changes nothing here
    write("float_repr.txt", [(fbits(x), esc(repr(x))) for x in some_floats(30000)])


def gen_format():
    rng.seed("gen_format")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    ints = [0, 1, -1, 7, -42, 255, 1234, -1234567, 65, 0x10FFFF, 0x110000, 10**20, -(10**25) - 7,
            2**63, -(2**63), 1234567890123]
    floats = some_floats(80)
    strs = ["", "a", "hello", "héllo wörld", "€", "x" * 12]
    fills = ["", "<", ">", "^", "=", "*<", "*>", "*^", "*=", "0<", "€^"]
    signs = ["", "+", "-", " "]
    zs = ["", "z"]
    alts = ["", "#"]
    zeros = ["", "0"]
    widths = ["", "1", "8", "15", "25"]
    groups = ["", ",", "_"]
    precs = ["", ".0", ".1", ".3", ".10", ".17"]
    types_int = ["", "b", "c", "d", "o", "x", "X", "n", "e", "f", "g", "%", "s", "E", "G", "F"]
    types_float = ["", "e", "E", "f", "F", "g", "G", "n", "%", "d", "s"]
    types_str = ["", "s", "d", "r"]

    def spec(types):
        return (rng.choice(fills) + rng.choice(signs) + rng.choice(zs) + rng.choice(alts)
                + rng.choice(zeros) + rng.choice(widths) + rng.choice(groups) + rng.choice(precs)
                + rng.choice(types))

    for _ in range(6000):
        v = rng.choice(ints)
        s = spec(types_int)
        rows.append(("int", str(v), esc(s), outcome(lambda: format(v, s))))
    for _ in range(12000):
        v = rng.choice(floats)
        s = spec(types_float)
        rows.append(("float", fbits(v), esc(s), outcome(lambda: format(v, s))))
    for _ in range(2500):
        v = rng.choice(strs)
        s = spec(types_str)
        rows.append(("str", esc(v), esc(s), outcome(lambda: format(v, s))))
    extra = [("int", 1234, s) for s in ["08,", "09,", "010,", "x<10", "_x", "_b", "#_x", "020_b",
                                           ",_", "_,", ",,", "abc", ".", "10.", "99999999999999999999999",
                                           ".99999999999999999999", "\x01", "é"]]
    extra += [("float", x, s) for x in [math.inf, -math.inf, math.nan, -math.nan, -0.0, 0.0, 1e300]
              for s in ["010f", "010,", "+", "z.1f", "z", "#", "#.0f", "#.0e", "#g", ".0%", "010,.2f"]]
    extra += [("str", "ab", s) for s in ["+", " ", "-", "z", "#", "=5", ",", "_", "10.1", "é>5", "c"]]
    for kind, v, s in extra:
        f = {"int": str, "float": fbits, "str": esc}[kind]
        rows.append((kind, f(v), esc(s), outcome(lambda: format(v, s))))
    write("format.txt", rows)


def gen_parse():
    rng.seed("gen_parse")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    fl = ["1", "1.5", " 1.5 ", "1_000.5", "1__0", "_1", "1_", "1e5", "1E-5", "1e", ".5", "5.",
          ".", "inf", "-inf", "+inf", "Infinity", "-iNfInItY", "nan", "-nan", "+NaN", "nanx", "infi",
          "1e1_0", "0x10", "", "  ", "\t-2.5\n", "1.7976931348623157e308", "1e309", "-1e309",
          "4.9e-324", "2e-324", "0.1", "123456789012345678901234567890", "1_2.3_4e5_6", "1.e5",
          "1._5", "1_.5", "+-1", "--1", "١", "1 2", "\x1c1\x1f", "1\u3000", "é", "'x'", "a\"b"]
    for _ in range(3000):
        fl.append(repr(rng.choice(some_floats(50))))
        fl.append("%.*e" % (rng.randrange(1, 25), rng.uniform(-1e10, 1e10)))
    for s in fl:
        rows.append(("float", esc(s), "10", outcome(lambda: float(s))))
    il = ["0", "-0", "+7", " 12 ", "1_000", "1__000", "_1", "1_", "010", "000", "0_0", "0x1f",
          "0X1F", "0o17", "0b101", "0b", "0x", "0x_1f", "0_x1f", "9" * 30, "-" + "9" * 19,
          "9223372036854775807", "9223372036854775808", "-9223372036854775808",
          "-9223372036854775809", "z", "Z", "zz", "1.0", "", " ", "١٢", "1" * 4300, "1" * 4301,
          "ab" * 3000, "12\n"]
    bases = [0, 2, 8, 10, 16, 36, 1, 37, 3]
    for s in il:
        for b in bases:
            rows.append(("int", esc(s), str(b), outcome(lambda: int(s, b))))
    for _ in range(2000):
        b = rng.choice([2, 8, 10, 16, 36, 0, 7])
        n = rng.randrange(-10**rng.randrange(1, 40), 10**rng.randrange(1, 40))
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        m, out = abs(n), ""
        bb = b if b else 10
        while True:
            m, r = divmod(m, bb)
            out = digits[r] + out
            if not m:
                break
        s = ("-" if n < 0 else "") + out
        rows.append(("int", esc(s), str(b), outcome(lambda: int(s, b))))
    write("parse.txt", rows)


def gen_arith():
    rng.seed("gen_arith")  # independent stream: adding cases elsewhere changes nothing here
    rows = []

    def rint():
        k = rng.randrange(4)
        if k == 0:
            return rng.randrange(-20, 21)
        if k == 1:
            return rng.randrange(-2**63, 2**63)
        if k == 2:
            return rng.randrange(-2**200, 2**200)
        return rng.getrandbits(rng.randrange(1, 400)) * rng.choice([1, -1])

    pairs = [(2**1100 + 12345, 3**500), (-(3**700), 2**900 + 1), (7, -2), (-7, 2), (7, 0), (-2**63, -1), (10**400, 1), (1, 10**400), (10**400, 10**90),
             (7044577470827281968, 66174), (2**53 + 1, 1), (-(2**1100), 3), (3, -(2**1100))]
    for _ in range(2500):
        pairs.append((rint(), rint()))
    for a, b in pairs:
        rows.append(("int_floordiv", str(a), str(b), outcome(lambda: a // b)))
        rows.append(("int_mod", str(a), str(b), outcome(lambda: a % b)))
        rows.append(("int_truediv", str(a), str(b), outcome(lambda: a / b)))
    fs = some_floats(60) + [0.0, -0.0, 2.0, -2.0, 3.0, 0.5, -7.5]
    for _ in range(3000):
        a, b = rng.choice(fs), rng.choice(fs)
        rows.append(("float_mod", fbits(a), fbits(b), outcome(lambda: a % b)))
        rows.append(("float_floordiv", fbits(a), fbits(b), outcome(lambda: a // b)))
        rows.append(("float_pow", fbits(a), fbits(b), outcome(lambda: a ** b)))
    for _ in range(3000):
        x = rng.choice(fs + some_floats(20))
        n = rng.choice([0, 1, 2, 3, 5, 10, 17, -1, -2, -5, -20, 400, -400, 300, -300])
        rows.append(("round", fbits(x), str(n), outcome(lambda: round(x, n))))
        rows.append(("round0", fbits(x), "0", outcome(lambda: round(x))))
    for _ in range(1500):
        a = rng.choice([rng.randrange(-30, 30), rng.randrange(-2**70, 2**70)])
        e = rng.choice([0, 1, 2, 3, 5, 10, 31, 63, 64, -1, -2, -3, -70])
        rows.append(("int_pow", str(a), str(e), outcome(lambda: a ** e)))
    for _ in range(1500):
        a = rint()
        n = rng.choice([-1, -2, -3, -5, -10, -30, -100, 0, 2])
        rows.append(("int_round", str(a), str(n), outcome(lambda: round(a, n))))
    for _ in range(600):
        a, b = rint(), rng.choice([0, 1, 2, 5, 65537, -1, -2, rng.randrange(1, 2**70)])
        mod = rng.choice([1, 2, 7, -7, 0, 2**61 - 1, 10**20 + 39, -(10**9 + 7), rng.randrange(2, 2**100)])
        rows.append(("int_powmod", str(a), f"{b} {mod}", outcome(lambda: pow(a, b, mod))))
    for _ in range(1500):
        a = rint()
        rows.append(("int_to_float", str(a), "0", outcome(lambda: float(a))))
    write("arith.txt", rows)


def gen_hash():
    rng.seed("gen_hash")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    strs = ["", "a", "hello", "é", "€uro", "😀", "abc" * 40, "ÿ", "\x00", "ĀĀ", "a😀b"]
    for _ in range(500):
        strs.append("".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(128, 256),
                                             rng.randrange(256, 0xD800), rng.randrange(0x10000, 0x10FFFF)]))
                            for _ in range(rng.randrange(0, 20))))
    for s in strs:
        rows.append(("str", esc(s), str(hash(s))))
        b = s.encode("utf-8")
        rows.append(("bytes", b.hex(), str(hash(b))))
    ints = [0, 1, -1, -2, 2**61 - 1, 2**61, -(2**61), 2**63 - 1, -(2**63), 2**64, 10**30, -(10**30)]
    ints += [rng.randrange(-2**rng.randrange(1, 300), 2**rng.randrange(1, 300)) for _ in range(500)]
    for n in ints:
        rows.append(("int", str(n), str(hash(n))))
    for x in some_floats(2000):
        if not math.isnan(x):
            rows.append(("float", fbits(x), str(hash(x))))
    for _ in range(500):
        t = tuple(rng.choice(ints) for _ in range(rng.randrange(0, 6)))
        rows.append(("tuple", " ".join(str(hash(v)) for v in t), str(hash(t))))
        fz = frozenset(rng.choice(ints) for _ in range(rng.randrange(0, 8)))
        rows.append(("frozenset", " ".join(str(hash(v)) for v in fz), str(hash(fz))))
    write("hash.txt", rows)


def enc(v):
    if isinstance(v, bool):
        return "b1" if v else "b0"
    if isinstance(v, int):
        return "i" + ("-" if v < 0 else "") + format(abs(v), "x")
    if isinstance(v, float):
        return "f" + fbits(v)
    if isinstance(v, str):
        return "s" + esc(v)
    if v is None:
        return "n"
    return "l" + esc(repr(v))


def gen_printf():
    rng.seed("gen_printf")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    vals = [0, 1, -1, 42, -255, 255, 65, 2**70, -(2**70), 0x10FFFF, 0x110000, True, False,
            0.0, -0.0, 1.5, -2.5, 3.14159, 1e20, 1e-10, 12345.678, float("inf"), float("-inf"),
            float("nan"), "", "a", "abc", "é", "hello world", "'q'", None, [1, "x"]]
    convs = "diuoxXeEfFgGcsra"
    for _ in range(8000):
        flags = "".join(rng.choice(["", "-", "+", " ", "#", "0"]) for _ in range(rng.randrange(0, 3)))
        width = rng.choice(["", "", "1", "5", "12", "*"])
        prec = rng.choice(["", "", ".0", ".2", ".5", ".*", "."])
        conv = rng.choice(convs + "%z")
        fmt = "<%" + flags + width + prec + rng.choice(["", "", "l", "h"]) + conv + ">"
        args = []
        if width == "*":
            args.append(rng.choice([3, -4, 0, 2.5, "x", 2**70]))
        if prec == ".*":
            args.append(rng.choice([2, -1, 0, "y"]))
        args.append(rng.choice(vals))
        if rng.random() < 0.1:
            args.append(1)
        if rng.random() < 0.05:
            args.pop()
        t = tuple(args)
        single = len(t) == 1 and rng.random() < 0.5 and not isinstance(t[0], (list,))
        a = t[0] if single else t
        rows.append((esc(fmt), outcome(lambda: fmt % a), "S" if single else "T")
                    + tuple(enc(v) for v in t))
    fixed = [("%5%", (1,)), ("%5%", ()), ("%-5%", (1,)), ("%%", ()), ("%s%", (1,)), ("%", ()),
             ("%.", (1,)), ("%.*", (1,)), ("abc%", (1,)), ("%s %s", (1, 2)), ("%s", ()),
             ("%d %d", (1,)), ("%s", (1, 2)), ("%c", ("ab",)), ("%c", (1.5,)), ("%(a)s", (1,)),
             ("%z", (1,)), ("x%.-1f", (1,)), ("%*d", (-5, 1)), ("%d", (2**14300,))]
    for fmt, t in fixed:
        rows.append((esc(fmt), outcome(lambda: fmt % t), "T") + tuple(enc(v) for v in t))
    maps = [("%(a)s", {"a": 1}), ("%(a)s %(b)s", {"a": 1}), ("%s %(a)s", {"a": 1}),
            ("%(a)s %s", {"a": 1}), ("%s", {"a": 1}), ("%(a(b))s|%(a)5.1f", {"a(b)": 3, "a": 2.25}),
            ("%(a", {"a": 1}), ("%(x)d %(x)x %(y)r", {"x": 255, "y": "é"}), ("plain", {"a": 1}),
            ("%(a)*d", {"a": 1})]
    for fmt, d in maps:
        kv = []
        for k, v in d.items():
            kv += [esc(k), enc(v)]
        rows.append((esc(fmt), outcome(lambda: fmt % d), "M") + tuple(kv))
    write("printf.txt", rows)


gen_float_repr()
gen_format()
gen_parse()
gen_arith()
gen_hash()
gen_printf()


def gen_random():
    rng.seed("gen_random")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    seeds = [("i", 0), ("i", 1), ("i", 42), ("i", -7), ("i", 2**40 + 5), ("i", 2**100 + 3),
             ("i", 12345678901234567890), ("s", "hello"), ("s", ""), ("s", "é€😀"),
             ("b", b"bytes\x00\xff"), ("f", 3.5), ("f", -0.25)]
    for kind, sd in seeds:
        enc_seed = {"i": lambda v: str(v), "s": esc, "b": lambda v: v.hex(), "f": fbits}[kind](sd)

        def run(name, fn):
            r = random.Random(sd)
            rows.append((kind, enc_seed, name, outcome(fn(r))))

        run("random", lambda r: lambda: tuple(r.random() for _ in range(30)))
        run("getrandbits", lambda r: lambda: tuple(r.getrandbits(k) for k in
                                                   [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 200, 7]))
        run("randrange", lambda r: lambda: tuple(
            [r.randrange(10) for _ in range(10)] + [r.randrange(5, 2**70) for _ in range(5)]
            + [r.randrange(-10, 10, 3) for _ in range(5)] + [r.randrange(10, -10, -4) for _ in range(5)]
            + [r.randrange(2**64) for _ in range(3)] + [r.randrange(1) for _ in range(2)]))
        run("randint", lambda r: lambda: tuple(r.randint(1, 6) for _ in range(40)))
        run("choice", lambda r: lambda: tuple(r.choice(range(n)) for n in
                                              [1, 2, 3, 7, 10, 100, 1000, 2**31, 2**33, 5]))
        run("shuffle", lambda r: lambda: (lambda l: (r.shuffle(l), tuple(l))[1])(list(range(25))))
        run("uniform", lambda r: lambda: tuple(r.uniform(-3.0, 7.5) for _ in range(10)))
        run("sample", lambda r: lambda: tuple(r.sample(range(30), 10) + r.sample(range(1000), 12)
                                              + r.sample(range(5), 5)))
        run("gauss", lambda r: lambda: tuple(r.gauss(1.0, 2.0) for _ in range(11)))
        run("normalvariate", lambda r: lambda: tuple(r.normalvariate(0.0, 1.0) for _ in range(11)))
    errs = [("randrange0", lambda r: r.randrange(0)), ("randrange55", lambda r: r.randrange(5, 5)),
            ("randrange_step0", lambda r: r.randrange(1, 5, 0)),
            ("randrange_empty_step", lambda r: r.randrange(5, 1, 2)),
            ("randrange_nostop", lambda r: r.randrange(5, None, 2)),
            ("getrandbits_neg", lambda r: r.getrandbits(-1)),
            ("choice_empty", lambda r: r.choice([])),
            ("sample_big", lambda r: r.sample(range(3), 4))]
    for name, fn in errs:
        r = random.Random(1)
        rows.append(("i", "1", name, outcome(lambda: fn(r))))
    write("random.txt", rows)


gen_random()


def gen_repr():
    rng.seed("gen_repr")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    pools = [range(0, 0x80), range(0x80, 0x100), range(0x100, 0x3000), range(0x3000, 0xD800),
             range(0xE000, 0x10000), range(0x10000, 0x20000), range(0x20000, 0x110000)]
    samples = ["", "'", '"', "'\"", "it's", 'say "hi"', "\\", "\t\n\r\x0b\x0c\x00\x7f",
               "\xad\u200b\u2028\u3000\ufeff\U000e0001", "é€😀", "\x85\xa0"]
    for _ in range(3000):
        n = rng.randrange(1, 8)
        samples.append("".join(chr(rng.choice(rng.choice(pools))) for _ in range(n)))
    for s in samples:
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            continue  # lone surrogates cannot be Rust strings
        rows.append(("str", esc(s), esc(repr(s)), esc(ascii(s)),
                     "".join("1" if c.isprintable() else "0" for c in s)))
    for _ in range(500):
        b = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12)))
        rows.append(("bytes", b.hex(), esc(repr(b)), "", ""))
    for b in [b"", b"'", b'"', b"'\"", b"\\", b"\t\n\r\x00\x7f\x80\xff"]:
        rows.append(("bytes", b.hex(), esc(repr(b)), "", ""))
    write("repr.txt", rows)


gen_repr()


def gen_sets():
    rng.seed("gen_sets")  # independent stream: adding cases elsewhere changes nothing here
    rows = []

    def sv(v):
        return ("i" + str(v)) if isinstance(v, int) else ("s" + v)

    pool_i = list(range(-5, 40)) + [2**61 - 1, 2**61, 2**64, -(2**63), 10**20, 1000, 4096, 8, 16, 32]
    pool_s = ["a", "b", "c", "x", "hello", "k1", "k2", "k3", "zz", "Q", "", "abc", "é", "pi"]
    for _ in range(1500):
        pool = rng.choice([pool_i, pool_s, pool_i + pool_s])
        s = set()
        ops = []
        popped = []
        for _ in range(rng.randrange(1, 60)):
            k = rng.random()
            if k < 0.6:
                v = rng.choice(pool)
                s.add(v)
                ops.append("a:" + sv(v))
            elif k < 0.8:
                v = rng.choice(pool)
                s.discard(v)
                ops.append("d:" + sv(v))
            elif k < 0.87:
                if s:
                    popped.append(sv(s.pop()))
                    ops.append("p:")
            elif k < 0.97:
                other = set()
                vals = [rng.choice(pool) for _ in range(rng.randrange(0, 12))]
                for v in vals:
                    other.add(v)
                s.update(other)
                ops.append("m:" + ",".join(sv(v) for v in vals))
            elif k < 0.99:
                s = set(s)
                ops.append("c:")
            else:
                s.clear()
                ops.append("x:")
        rows.append((" ".join(sv(v) for v in s), " ".join(popped)) + tuple(ops))
    write("sets.txt", rows)


gen_sets()


def gen_math():
    rng.seed("gen_math")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    fl = some_floats(150) + [-1.0, 2.0, -0.5, 0.5, 1e-300, -1e-300, 710.0, -745.5, 1e308, 3.0, 1.0000001]

    def F(name, *args):
        return (name,) + tuple(fbits(a) if isinstance(a, float) else str(a) for a in args)

    unary = ["sqrt", "exp", "exp2", "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "sinh",
             "cosh", "tanh", "asinh", "acosh", "atanh", "cbrt", "fabs", "log1p", "degrees",
             "radians", "floor", "ceil", "trunc", "log", "log2", "log10", "isfinite", "isinf",
             "isnan", "modf", "frexp", "ulp", "erf", "erfc"]
    for name in unary:
        f = getattr(math, name)
        for x in fl:
            rows.append(F(name, x) + (outcome(lambda: f(x)),))
    for _ in range(1500):
        x, y = rng.choice(fl), rng.choice(fl)
        for name in ["pow", "fmod", "atan2", "copysign", "nextafter"]:
            f = getattr(math, name)
            rows.append(F(name, x, y) + (outcome(lambda: f(x, y)),))
        rows.append(F("logb", x, y) + (outcome(lambda: math.log(x, y)),))
        rows.append(F("isclose", x, y) + (outcome(lambda: math.isclose(x, y)),))
    for _ in range(400):
        x = rng.choice(fl)
        i = rng.choice([0, 1, -1, 10, -10, 1000, -1000, 1100, -1074, -1075, -1080, 2000, 2**70, -(2**70)])
        rows.append(F("ldexp", x, i) + (outcome(lambda: math.ldexp(x, i)),))
    ints = [1, 2, 10, 1000, 2**64, 2**1030 + 12345, 10**400, 3**2000, 7]
    for n in ints:
        for name in ["log", "log2", "log10"]:
            f = getattr(math, name)
            rows.append(("i" + name, str(n), outcome(lambda: f(n))))
        rows.append(("ilogb", str(n), outcome(lambda: math.log(n, 10))))
    for n in [0, -5]:
        rows.append(("ilog", str(n), outcome(lambda: math.log(n))))
    for _ in range(300):
        k = rng.randrange(0, 12)
        v = [rng.choice(fl) for _ in range(k)]
        rows.append(("hypot", " ".join(fbits(a) for a in v), outcome(lambda: math.hypot(*v))))
        w = [rng.choice(fl) for _ in range(k)]
        rows.append(("dist", " ".join(fbits(a) for a in v), " ".join(fbits(a) for a in w),
                     outcome(lambda: math.dist(v, w))))
        u = [rng.uniform(-1e6, 1e6) * 10.0 ** rng.randrange(-20, 20) for _ in range(k)]
        rows.append(("hypot", " ".join(fbits(a) for a in u), outcome(lambda: math.hypot(*u))))
    for _ in range(500):
        k = rng.randrange(0, 30)
        v = [rng.choice([rng.uniform(-1, 1) * 10.0 ** rng.randrange(-30, 30), rng.choice(fl), 0.1, 1e100, -1e100])
             for _ in range(k)]
        rows.append(("fsum", " ".join(fbits(a) for a in v), outcome(lambda: math.fsum(v))))
    for v in [[1e308, 1e308], [math.inf, -math.inf], [math.nan, 1.0], [math.inf, 1.0], [1e308, 1e308, -1e308],
              [0.1] * 10, [1.0, 1e100, 1.0, -1e100], []]:
        rows.append(("fsum", " ".join(fbits(a) for a in v), outcome(lambda: math.fsum(v))))
    for n in [0, 1, 5, 20, 21, 100, 170, 171, 1000, -1]:
        rows.append(("factorial", str(n), outcome(lambda: math.factorial(n))))
    for _ in range(300):
        a = [rng.choice([0, 1, -1, 6, 12, -18, 2**70, 3**50, rng.randrange(-10**6, 10**6)]) for _ in range(rng.randrange(0, 4))]
        rows.append(("gcd", " ".join(map(str, a)), outcome(lambda: math.gcd(*a))))
        rows.append(("lcm", " ".join(map(str, a)), outcome(lambda: math.lcm(*a))))
        n = rng.choice([0, 1, 2, 15, 16, 17, 10**20, 2**200 + 1, -1, rng.randrange(10**30)])
        rows.append(("isqrt", str(n), outcome(lambda: math.isqrt(n))))
        n, k = rng.choice([0, 1, 5, 10, 52, 100, -1, 300]), rng.choice([0, 1, 2, 5, 10, 60, -1, 200])
        rows.append(("comb", str(n), str(k), outcome(lambda: math.comb(n, k))))
        rows.append(("perm", str(n), str(k), outcome(lambda: math.perm(n, k))))
    rows.append(("perm1", "-1", outcome(lambda: math.perm(-1))))
    rows.append(("perm1", "6", outcome(lambda: math.perm(6))))
    write("math.txt", rows)


gen_math()


def gen_misc():
    rng.seed("gen_misc")  # independent stream: adding cases elsewhere changes nothing here
    rows = []
    for x in some_floats(400):
        rows.append(("hex", fbits(x), outcome(lambda: x.hex())))
        rows.append(("is_integer", fbits(x), outcome(lambda: x.is_integer())))
        h = x.hex()
        rows.append(("fromhex", esc(h), outcome(lambda: float.fromhex(h))))
        rows.append(("divmod_f", fbits(x), outcome(lambda: divmod(x, 3.5))))
    for s in ["0x1p-1074", "0x1p-1075", "0x1.8p-1075", "0x3p-1076", "0x1.fffffffffffff8p1023",
              "0x1.fffffffffffff7p1023", "0x1p1024", "1p0", "0x.8", "0x1.", ".8p1", "  -0x1.8p1  ",
              "inf", "-Infinity", "nan", "0x", "0xp1", "0x1p", "0x1q", "0x1.2.3", "0x1p+3",
              "0X1P-3", "abc", "0x1p99999999999999999999", "0x1p-99999999999999999999", "0x0p5",
              "0x10000000000000001p0", "0x10000000000000018p0"]:
        rows.append(("fromhex", esc(s), outcome(lambda: float.fromhex(s))))
    for x in some_floats(300) + [2.0**53, 2.0**53 + 2, -2.0**63, 2.0**63, 1e300]:
        rows.append(("as_integer_ratio", fbits(x), outcome(lambda: x.as_integer_ratio())))
        for n in [0, 1, -1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63), 2**64, 10**300, int(x) if math.isfinite(x) else 7,
                  (int(x) + 1) if math.isfinite(x) else 8]:
            rows.append(("cmp", str(n), fbits(x), "lt" if n < x else "gt" if n > x else "eq" if n == x else "un"))
    ints = [0, 1, -1, 255, -256, 2**63, -(2**63), 2**64 + 1, 10**30, -(10**30) + 7]
    for n in ints + [127, 128, -128, -129, 256, 65535, -32768]:
        for length in [0, 1, 2, 8, 9, 16, -1]:
            for order in ["big", "little"]:
                for signed in [False, True]:
                    rows.append(("to_bytes", str(n), f"{length} {order} {signed}",
                                 outcome(lambda: n.to_bytes(length, order, signed=signed).hex())))
    for _ in range(200):
        b = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12)))
        for order in ["big", "little"]:
            for signed in [False, True]:
                rows.append(("from_bytes", b.hex(), f"{order} {signed}",
                             outcome(lambda: int.from_bytes(b, order, signed=signed))))
    for n in ints:
        rows.append(("bin", str(n), outcome(lambda: bin(n))))
        rows.append(("oct", str(n), outcome(lambda: oct(n))))
        rows.append(("hex_int", str(n), outcome(lambda: hex(n))))
        rows.append(("bit_length", str(n), outcome(lambda: n.bit_length())))
        rows.append(("divmod_i", str(n), outcome(lambda: divmod(n, -7))))
    write("misc.txt", rows)


gen_misc()


def gen_setops():
    rng.seed("gen_setops")
    rows = []

    def sv(v):
        return ("i" + str(v)) if isinstance(v, int) else ("s" + v)

    pool = list(range(-5, 60)) + [2**61, 2**64, 1000, 4096] + ["a", "b", "c", "x", "hello", "k1", "zz"]

    def build(vals, drops):
        s = set()
        for v in vals:
            s.add(v)
        for v in drops:
            s.discard(v)
        return s

    for _ in range(1200):
        av = [rng.choice(pool) for _ in range(rng.randrange(0, rng.choice([5, 20, 60])))]
        ad = [rng.choice(pool) for _ in range(rng.randrange(0, 6))]
        bv = [rng.choice(pool) for _ in range(rng.randrange(0, rng.choice([5, 20, 60])))]
        bd = [rng.choice(pool) for _ in range(rng.randrange(0, 6))]
        enc = lambda l: ",".join(sv(v) for v in l)
        res = []
        for op in ["or", "and", "sub", "xor", "ior", "iand", "isub", "ixor", "le"]:
            a, b = build(av, ad), build(bv, bd)
            if op == "or":
                r = a | b
            elif op == "and":
                r = a & b
            elif op == "sub":
                r = a - b
            elif op == "xor":
                r = a ^ b
            elif op == "ior":
                a |= b; r = a
            elif op == "iand":
                a &= b; r = a
            elif op == "isub":
                a -= b; r = a
            elif op == "ixor":
                a ^= b; r = a
            else:
                res.append(str(a <= b))
                continue
            # add a few keys afterwards: exposes dummies and table size, not just order
            r.add(-7); r.add("new")
            res.append(" ".join(sv(v) for v in r))
        rows.append((enc(av), enc(ad), enc(bv), enc(bd)) + tuple(res))
    write("setops.txt", rows)


gen_setops()


def gen_strmethods():
    rng.seed("gen_strmethods")
    rows = []
    pools = [range(0x20, 0x7f), range(0xa0, 0x250), range(0x370, 0x530), range(0x1e00, 0x2000),
             range(0x2100, 0x2200), range(0x10400, 0x10450), range(0x1d400, 0x1d800),
             range(0x0, 0x110000), [0x3a3, 0x3c3, 0x2bc, 0x27, 0xad, 0x300, 0x1c5, 0x130, 0xdf, 0x345]]
    samples = ["", "abc", "ABC", "Hello World", "hello world", "ΑΣ", "ΑΣ ", "Σ", "AΣb", "ΌΣΟΣ",
               "aΣ'", "a'Σ", "ǅungla", "ß", "İstanbul", "ﬁne", "ŉ", "_x1", "1x", "x y", "٣", "½",
               "\u2167", "\t\n ", "ΑΣ\u0345", "they're bill's", "Ǆ", "ǆ", "ᾳ", "ᾼ", "ABC def", "𝐀𝐁"]
    for _ in range(4000):
        pool = rng.choice(pools)
        s = "".join(chr(rng.choice(pool)) for _ in range(rng.randrange(0, 8)))
        if any(0xD800 <= ord(c) <= 0xDFFF for c in s):
            continue
        samples.append(s)
    names = ["lower", "upper", "casefold", "swapcase", "title", "capitalize", "isupper",
             "islower", "istitle", "isidentifier", "isalpha", "isalnum", "isdecimal", "isdigit",
             "isnumeric", "isspace"]
    for s in samples:
        rows.append((esc(s),) + tuple(esc(str(getattr(s, n)())) for n in names))
    write("strmethods.txt", rows)


gen_strmethods()
