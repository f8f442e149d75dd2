# Ranges longer than 2**63 - 1 (the length no longer fits an i64): len() and __len__ raise
# OverflowError as in CPython, while truth, items, reversal, membership, equality, count and
# index work; plus the range methods on ordinary ranges.

big = range(-2**62, 2**62)
for name, f in [("len", lambda: len(big)), ("__len__", lambda: big.__len__()),
                ("bool", lambda: bool(big)), ("not", lambda: not big),
                ("if", lambda: "yes" if big else "no"),
                ("first", lambda: big[0]), ("last", lambda: big[-1]),
                ("item", lambda: big[2**62 + 5]), ("negitem", lambda: big[-(2**62) - 7]),
                ("out", lambda: big[2**63]), ("out2", lambda: big[-(2**63) - 1]),
                ("reversed", lambda: [x for _, x in zip(range(3), reversed(big))]),
                ("iter", lambda: [x for _, x in zip(range(3), big)]),
                ("in", lambda: (0 in big, 2**62 in big, -2**62 in big)),
                ("eq", lambda: big == range(-2**62, 2**62)),
                ("eq2", lambda: big == range(-2**62, 2**62 - 1)),
                ("step", lambda: len(range(-2**62, 2**62, 2))),
                ("step3", lambda: len(range(-2**62, 2**62, 3))),
                ("neg", lambda: len(range(2**62, -2**62, -1))),
                ("negstep", lambda: len(range(2**62, -2**62, -2))),
                ("rev_neg", lambda: [x for _, x in zip(range(3), reversed(range(2**62, -2**62, -3)))]),
                ("neg_item", lambda: range(2**62, -2**62, -1)[-1]),
                ("bool_empty", lambda: bool(range(5, 5))),
                ("len_small", lambda: len(range(-5, 5, 3))),
                ("rev_small", lambda: list(reversed(range(-5, 5, 3)))),
                ("rev_empty", lambda: list(reversed(range(5, -5)))),
                ("item_big", lambda: range(10)[2**100]),
                ("item_float", lambda: range(10)[1.5]),
                ("item_bool", lambda: range(10)[True]),
                ("max_len", lambda: len(range(0, 2**63 - 1))),
                ("max_len1", lambda: len(range(-1, 2**63 - 1))),
                ]:
    try:
        print(name, f())
    except Exception as e:
        print(name, type(e).__name__, e)

class I:
    def __index__(self):
        return -2
print("index", big[I()], range(10)[I()])
r = range(-2**62, 2**62, 3)
print(r.count(-2**62 + 3), r.count(-2**62 + 4), r.index(2**62 - 2), range(10, 0, -2).index(4))
print(range(5).count(True), range(5).index(3.0), range(5).count(1.0), 2.0 in range(5))
for bad in (lambda: range(5).index(7), lambda: range(5).index("a"), lambda: range(0, 10, 3).index(4)):
    try:
        bad()
    except ValueError as e:
        print("ValueError", e)
print(range(1, 7, 2).__len__(), range(3).__getitem__(-1), 2 in range(3), list(range(3).__iter__()))
print((2**62 - 2) in r, (2**62 - 1) in r, (-2**62 + 2**62 + 2**61) in range(-2**62, 2**62, 7))
