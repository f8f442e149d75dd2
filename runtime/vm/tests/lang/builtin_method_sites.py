# One method-call site seeing receivers of many builtin types (each remembered apart),
# missing methods, and instances with the same method names.
class C:
    def count(self, x):
        return "C.count"
    def index(self, x):
        return "C.index"

vals = ["banana", [1, 2, 2], (2, 2, 3), b"a2b2", bytearray(b"22"), C(), {2: 1}, 5, 2.5, {2}]
for rnd in range(3):
    for v in vals:
        try:
            print(type(v).__name__, v.count(2 if not isinstance(v, (str, bytes, bytearray)) else ("a" if isinstance(v, str) else b"2")))
        except AttributeError as e:
            print("AttributeError", e)
        try:
            print(type(v).__name__, v.index(2 if not isinstance(v, (str, bytes, bytearray)) else ("n" if isinstance(v, str) else b"2")))
        except (AttributeError, ValueError) as e:
            print(type(e).__name__, e)
for v in [1, True, 2.0, "x", [1], (1,), {1: 2}, {1}, b"x"]:
    try:
        print(type(v).__name__, v.__class__.__name__, v.bit_length())
    except AttributeError as e:
        print("AttributeError", e)
print("a,b".split(","), [3, 1].copy(), {1: 2}.get(1), (5).to_bytes(1, "big"), (2.5).is_integer())
m = "x y".split
print(m(), "x-y".split("-"))
