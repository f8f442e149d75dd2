# itertools, functools and collections (implemented in Python inside vigil).
import itertools, functools
from collections import deque, defaultdict, Counter, OrderedDict, namedtuple
from itertools import permutations, combinations, product, chain, islice, count, groupby, accumulate, zip_longest
from functools import reduce, partial, lru_cache, wraps
print(list(permutations([1, 2, 3], 2)), list(combinations("abcd", 2)), list(product("ab", repeat=2)))
print(list(chain([1], (2, 3), "x")), list(islice(count(5), 3)), list(islice(range(10), 2, 8, 3)))
print([(k, list(g)) for k, g in groupby("aaabbc")], list(accumulate([1, 2, 3, 4])), list(zip_longest("ab", [1], fillvalue="-")))
print(reduce(lambda a, b: a * b, range(1, 6)), partial(pow, 2)(10), list(itertools.chain.from_iterable([[1], [2, 3]])))
@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.__name__)
def deco(f):
    @wraps(f)
    def w(*a):
        return f(*a)
    return w
@deco
def named():
    "doc"
print(named.__name__)
d = deque([1, 2, 3], maxlen=3)
d.append(4); d.appendleft(0)
print(d, d.popleft(), len(d), list(d))
dd = defaultdict(list)
dd["a"].append(1); dd["b"].append(2); dd["a"].append(3)
print(dd, dict(dd.items()) if False else sorted(dd.items()), dd["zz"])
c = Counter("abracadabra")
print(c, c.most_common(2), c["z"], c["a"])
od = OrderedDict(); od["x"] = 1; od["y"] = 2; od.move_to_end("x")
print(od, list(od))
P = namedtuple("P", "x y")
p = P(1, y=2)
print(p, p.x, p[1], tuple(p), p == (1, 2), p._asdict(), p._replace(x=5))
a, b = p
print(a, b, P._fields)
