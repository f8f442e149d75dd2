# The match statement (PEP 634) on collections' containers and the collections.abc ABCs:
# the part of the match suite the tracer test cannot share (its namedtuple arguments print as
# tuples under CPython's montrace, vigil's namedtuples are not tuples; see COMPATIBILITY.md).
# collections' containers match as CPython's do (sequences, mappings, namedtuple fields).
import collections

Pt = collections.namedtuple("Pt", "x y")


def containers(v):
    match v:
        case {"a": a, **rest}:
            return ("mapping", a, sorted(rest.items()))
        case Pt(0, y):
            return ("pt on y axis", y)
        case Pt(x=x, y=0):
            return ("pt on x axis", x)
        case [first, *others]:
            return ("sequence", first, others)
        case _:
            return "neither"


for v in [
    collections.OrderedDict(a=1, b=2), collections.defaultdict(int, a=3),
    collections.Counter("aab"), collections.deque([4, 5, 6]), Pt(0, 7), Pt(8, 0), Pt(1, 2),
    collections.deque(), {"b": 1},
]:
    print(type(v).__name__, containers(v))


# Subclasses of the collections.abc ABCs are sequences and mappings for patterns.
import collections.abc


class Seq(collections.abc.Sequence):
    def __init__(self, *items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class Map(collections.abc.Mapping):
    def __init__(self, **d):
        self.d = d

    def __len__(self):
        return len(self.d)

    def __getitem__(self, k):
        return self.d[k]

    def __iter__(self):
        return iter(self.d)

    def get(self, k, default=None):
        return self.d.get(k, default)

    def keys(self):
        return self.d.keys()


for v in [Seq(1, 2, 3), Seq(), Map(a=5, b=6), Map(b=1)]:
    print(type(v).__name__, containers(v))
print(collections.abc.Sequence, collections.abc.Mapping.__module__)
