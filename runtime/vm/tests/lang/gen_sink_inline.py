# Builtin consumers draining a generator whose yields stay in the dispatch loop: other
# generators' yields inside the drained one (next(), yield from, nested drains, recursion),
# exceptions caught between yields, values that fill the buffer, and self re-entry.

def counter(n):
    for i in range(n):
        yield i * 10

# The drained genexpr resumes another generator with next(): that one's yields go back to
# its caller, not into the consumer's buffer.
src = counter(5)
print(list(next(src) + i for i in range(5)))
src = counter(3)
print(set((next(src, -1), i) for i in range(5)) == {(0, 0), (10, 1), (20, 2), (-1, 3), (-1, 4)})

# yield from: the delegate's yields reach the consumer through the drained frame.
def deleg():
    got = yield from counter(3)
    yield ("returned", got)
    yield from (c for c in "ab")

print(list(deleg()), tuple(deleg()))

# Drains nested in a drained frame, and a recursive generator drained at every level.
print(list(tuple(set(k % 3 for k in range(j)) for j in range(i)) for i in range(4)))

def rec(n):
    if n:
        yield list(rec(n - 1))
        yield n

print(list(rec(4)))

# Exceptions raised and caught inside the drained frame between yields.
def catches():
    for i in range(6):
        try:
            if i % 2:
                raise ValueError(i)
            yield i
        except ValueError as e:
            yield ("caught", e.args[0])
        finally:
            pass

print(list(catches()))
print(sorted(set(x for x in catches() if isinstance(x, int))))

# Raised part-way from a nested frame: the partial values are dropped.
def boom(n):
    yield 1
    yield list(counter(n))
    raise IndexError("late")

for make in (list, tuple, set):
    try:
        make(x for x in boom(2) if not isinstance(x, list) or make is not set)
    except IndexError as e:
        print(make.__name__, "IndexError", e)

# More values than the buffer holds at once, with another drain in between each.
print(sum(len(list(range(i % 5))) for i in range(200)))
big = list(tuple(range(2)) for _ in range(100))
print(len(big), big[0], big[-1])
print(len(set(i for i in range(1000))), len(set(str(i % 50) for i in range(1000))))

# Mixed native and non-native values into set(): order and deduplication as CPython.
class K:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return hash(self.v)
    def __eq__(self, o):
        return isinstance(o, K) and o.v == self.v
    def __repr__(self):
        return f"K({self.v})"

s = set(K(i % 3) if i % 4 == 0 else i for i in range(12))
print(sorted(map(repr, s)))

# A generator that tries to resume itself while being drained.
def selfish():
    yield 1
    try:
        next(me)
    except ValueError as e:
        yield str(e)
    yield 3

me = selfish()
print(list(me))

# StopIteration raised inside a drained generator becomes RuntimeError.
def stops():
    yield 1
    raise StopIteration

try:
    set(stops())
except RuntimeError as e:
    print("RuntimeError", e)

# A drained generator closed from inside a nested one does not disturb the drain.
def inner_closer(g):
    yield 1
    g.close()
    yield 2

other = counter(3)
next(other)
print(list(inner_closer(other)), list(other))
