# io.StringIO keeps a position in code points: write/read/readline/readlines from it,
# seek/tell (and their errors), overwriting, writing past the end pads with NULs,
# truncate, iteration and next(), print(file=...), writelines.
import io

buf = io.StringIO()
print(buf.write("hello\n"), buf.write("wörld\n"), buf.tell(), repr(buf.read()))
print(buf.seek(0), repr(buf.readline()), repr(buf.read()), buf.tell())
print(buf.getvalue().splitlines())
r = io.StringIO("a\nb\nc\n")
print([l for l in r], repr(r.read()), r.tell())
r.seek(0)
print(next(r), r.readlines(), r.readlines())
r.seek(2)
print(repr(r.read(3)), repr(r.read(-1)), repr(r.read(None)))
s = io.StringIO("x\ny\nz")
print(s.readlines(1), s.readlines(), repr(s.readline()))
s.seek(0)
print(repr(s.readline(1)), repr(s.readline(0)), repr(s.readline(-1)), repr(s.readline(5)))
o = io.StringIO("abcdef")
o.seek(2)
o.write("XY")
print(repr(o.getvalue()), o.tell())
o.seek(5)
o.write("123")
print(repr(o.getvalue()), o.tell())
o.seek(10)
o.write("!")
print(repr(o.getvalue()), o.tell(), o.seek(0, 2), o.seek(0, 1))
o.seek(3)
print(o.truncate(), repr(o.getvalue()), o.tell(), o.truncate(1), repr(o.getvalue()), o.tell())
o.write("Z")
print(repr(o.getvalue()))
u = io.StringIO("ünï😀de")
u.seek(3)
print(repr(u.read(2)), u.tell())
u.seek(1)
u.write("ñ")
print(repr(u.getvalue()))
for args in ((-1,), (1, 1), (1, 2), (0, 3), ("x",)):
    try:
        io.StringIO("abc").seek(*args)
    except (ValueError, OSError, TypeError) as e:
        print(type(e).__name__, e)
try:
    io.StringIO("abc").truncate(-2)
except ValueError as e:
    print("ValueError", e)
try:
    io.StringIO().read("1")
except TypeError as e:
    print("TypeError", e)
p = io.StringIO()
print("one", 2, sep="-", file=p)
p.writelines(["a\n", "b\n"])
print(repr(p.getvalue()), p.tell(), p.readable(), p.writable(), p.seekable())
with io.StringIO("ctx") as c:
    print(c.read())
