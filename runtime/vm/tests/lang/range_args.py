# range() built from 1, 2 or 3 arguments: ints, bools, objects with __index__, and the errors
# (float, non-int, zero step, wrong count, an __index__ that raises on a later argument).

class Idx:
    def __init__(self, v):
        self.v = v
    def __index__(self):
        print("index", self.v)
        return self.v

class Bad:
    def __index__(self):
        raise ValueError("bad index")

print(list(range(True)), list(range(3)), list(range(-2, 2)), list(range(10, 0, -3)))
print(list(range(1, Idx(5))), list(range(Idx(0), 10, Idx(3))), range(Idx(2), False, -1))
print(len(range(0, 2**62, 2**40)), range(7)[-1], reversed(range(4)).__next__())
for args in [(2.0,), (1, 2.5), ("a",), (1, 2, 0), (), (1, 2, 3, 4), (1, Idx(4), Bad())]:
    try:
        print(range(*args))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
