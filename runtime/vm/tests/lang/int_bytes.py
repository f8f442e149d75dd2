# int.to_bytes (signed, byteorder default "big", length default 1, zero length) and the
# classmethod int.from_bytes (bytes, bytearray, iterables of ints, signed, subclasses),
# with CPython's errors; int.as_integer_ratio and int.is_integer.
for n, length, order, signed in [(1024, 2, "big", False), (1024, 4, "little", False), (0, 0, "big", False),
                                 (-1, 2, "big", True), (-129, 2, "little", True), (127, 1, "big", True),
                                 (-128, 1, "big", True), (2**64 - 1, 8, "big", False), (-2**63, 8, "little", True),
                                 (255, 3, "big", False), (2**100, 13, "little", False)]:
    b = n.to_bytes(length, order, signed=signed)
    print(n, b, int.from_bytes(b, order, signed=signed), int.from_bytes(b, byteorder=order))
print((5).to_bytes(), (258).to_bytes(2), True.to_bytes(1, "big"), (7).to_bytes(length=2, byteorder="little"))
for args, kw in [((1, "big"), {}), ((1, "big"), {"signed": True}), ((2, "middle"), {}), ((-1, "big"), {})]:
    for n in (256, 128, -1):
        try:
            print(n, n.to_bytes(*args, **kw))
        except (OverflowError, ValueError) as e:
            print(n, type(e).__name__, e)
print(int.from_bytes(b""), int.from_bytes(b"\x00\x01"), int.from_bytes(bytearray(b"\xff\xff"), "little", signed=True))
print(int.from_bytes([1, 2, 3], "big"), int.from_bytes((255,), "little", signed=True), int.from_bytes(iter([0, 1]), "little"))
print(int.from_bytes(bytes=b"\x10", byteorder="big", signed=False), bool.from_bytes(b"\x01"), type(bool.from_bytes(b"\x00")))


class MyInt(int):
    def __repr__(self):
        return "MyInt(%d)" % self


print(repr(MyInt.from_bytes(b"\x01\x00", "big")), type(MyInt.from_bytes(b"\x01")).__name__)
for bad in ("abc", 5, [256], [1, "x"]):
    try:
        print(int.from_bytes(bad))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    int.from_bytes(b"\x01", "sideways")
except ValueError as e:
    print("ValueError", e)
print((6).as_integer_ratio(), (-2**70).as_integer_ratio(), True.as_integer_ratio(), (3).is_integer(), MyInt(4).as_integer_ratio())
