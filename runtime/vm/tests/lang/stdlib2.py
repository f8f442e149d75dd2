# string, operator, heapq, bisect and copy (implemented in Python inside vigil).
import string, operator, heapq, bisect, copy
from operator import itemgetter, attrgetter
print(string.ascii_letters[:5], string.digits, string.punctuation[:8], string.capwords("hello big world"))
rows = [("b", 2), ("a", 3), ("c", 1)]
print(sorted(rows, key=itemgetter(1)), sorted(rows, key=itemgetter(0)), itemgetter(0, 1)(rows[0]), operator.add(2, 3), operator.mul("a", 3))
h = []
for x in [5, 1, 8, 3, 9, 2]:
    heapq.heappush(h, x)
print(h, [heapq.heappop(h) for _ in range(3)], h)
data = [7, 3, 9, 1, 4]
heapq.heapify(data)
print(data, heapq.nlargest(2, [1, 5, 3]), heapq.nsmallest(2, [4, 2, 8]))
a = [1, 3, 3, 5, 8]
print(bisect.bisect_left(a, 3), bisect.bisect_right(a, 3), bisect.bisect(a, 4))
bisect.insort(a, 4); print(a)
orig = {"k": [1, [2, 3]], "t": (1, 2)}
sh = copy.copy(orig); dp = copy.deepcopy(orig)
orig["k"][1].append(4)
print(sh["k"], dp["k"], sh is orig, dp == orig)
class P:
    def __init__(self): self.items = [1]
p = P(); q = copy.deepcopy(p); q.items.append(2)
print(p.items, q.items, type(q).__name__)
class Obj:
    def __init__(self, n): self.n = n
print([o.n for o in sorted([Obj(3), Obj(1)], key=attrgetter("n"))])
