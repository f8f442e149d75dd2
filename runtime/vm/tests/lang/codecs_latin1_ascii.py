# str.encode / bytes.decode with Latin-1, ASCII and UTF-8, their aliases, error handlers and
# error messages.

s = "caf\xe9 \xff"
print(s.encode("latin-1"), s.encode("latin1"), s.encode("ISO-8859-1"), s.encode("l1"))
print(s.encode("utf-8"), s.encode(), s.encode(encoding="UTF8"))
b = bytes(range(0xf8, 0x100)) + b"abc"
print(repr(b.decode("latin-1")), repr(b.decode("iso8859_1")))
print(bytearray(b"\xe9t\xe9").decode("latin-1"))
print(b"caf\xc3\xa9".decode("latin-1"), b"caf\xc3\xa9".decode())
print("plain".encode("ascii"), b"plain".decode("us-ascii"))
for text in ["\u20ac1", "a\u20ac\u20acb", "\U0001f600", "\xe9"]:
    for enc in ["latin-1", "ascii"]:
        for errors in ["strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace"]:
            try:
                print(enc, errors, text.encode(enc, errors))
            except UnicodeEncodeError as e:
                print(enc, errors, type(e).__name__, e)
for data in [b"\xe9", b"ok\xff\xfe", b"\xe2\x82", b"\xe2\x82x", b"\xf0\x9f\x98", b"\xe0\x80",
             b"\xed\xa0\x80", b"a\x80b", b"\xc3\xa9\xc3"]:
    for enc in ["utf-8", "ascii"]:
        for errors in ["strict", "ignore", "replace", "backslashreplace"]:
            try:
                print(enc, errors, repr(data.decode(enc, errors)))
            except UnicodeDecodeError as e:
                print(enc, errors, type(e).__name__, e)
for call in [lambda: "x".encode("nope"), lambda: b"x".decode("nope"),
             lambda: "\u20ac".encode("latin-1", "bogus"), lambda: "x".encode("latin-1", "bogus"),
             lambda: b"\xff".decode("ascii", errors="bogus"), lambda: "x".encode(5)]:
    try:
        print(call())
    except (LookupError, TypeError) as e:
        print(type(e).__name__, e)
print(isinstance(UnicodeDecodeError, type), issubclass(UnicodeEncodeError, ValueError))
