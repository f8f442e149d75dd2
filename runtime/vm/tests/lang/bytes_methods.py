# bytes methods (split/strip/find/replace/join/... through the latin-1 mapping, ASCII case).
b = b"  key=value; other=2  \n"
print(b.strip(), b.split(b";"), b.strip().split(), b.find(b"="), b.replace(b"=", b":"), b.startswith(b"  k"))
print(b",".join([b"a", b"b"]), b"ABC".lower(), b"abc".upper(), b"a,b,,c".split(b","), b"x\ny\n".splitlines())
print(b"hello".count(b"l"), b"hello".endswith((b"lo", b"x")), b"123".isdigit(), b"data"[1:3], b"ab" * 2, b"a" + b"b")
print(bytes(range(5)), list(b"hi"), b"\xff\x00".hex(), bytearray(b"xy"), len(bytearray(3)))
try:
    b"a".split("a")
except TypeError as e:
    print(e)
