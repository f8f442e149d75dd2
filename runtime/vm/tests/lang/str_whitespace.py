# What str methods count as whitespace and line breaks: str.isspace()'s characters (Unicode
# White_Space plus the ASCII separators U+001C-U+001F) for split(), rsplit() and strip(), and
# splitlines()'s own set. Also float.fromhex, called on the class.
samples = [
    "a\x1cb\x1fc d",
    " x\x1d",
    "\x1e\x1ey\x1e",
    "p\x85q\u2028r\u2029s",
    "t\x0bu\x0cv\rw\r\nx\ny",
    "nb\u00a0sp\u200bzw\u3000id",
    "\x1c\x1d\x1e\x1f",
    "",
    "   ",
]
for s in samples:
    print(repr(s))
    print("  split", s.split(), s.split(None, 1), s.split(maxsplit=2))
    print("  rsplit", s.rsplit(), s.rsplit(None, 1))
    print("  strip", repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
    print("  splitlines", s.splitlines(), s.splitlines(True))
    print("  isspace", s.isspace(), [c.isspace() for c in s[:4]])

print(float.fromhex("0x1.8p1"), float.fromhex(" -0x1p-1074 "), float.fromhex("inf"))
print((2.0).fromhex("0x1p4"), float.fromhex("\t0X1.FFFFFFFFFFFFFP+1023\n"))
for bad in ["0x", "zz", "0x1p99999", "\x1c0x1p3"]:
    try:
        print(float.fromhex(bad))
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
for args in [(), ("1", "2"), (3,)]:
    try:
        print(float.fromhex(*args))
    except TypeError as e:
        print("TypeError", e)
print(float.fromhex.__name__)
