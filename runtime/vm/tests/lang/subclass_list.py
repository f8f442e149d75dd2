# Subclasses of list: construction, list methods, operators (+, *, +=, comparisons), overridden
# __len__/__getitem__/__iter__ seen by len()/[]/iteration, unhashability and errors.
class L(list):
    pass

l = L([3, 1, 2])
print(l, type(l), isinstance(l, list), len(l), l[0], l[-1], l[1:], 2 in l)
l.append(5); l.sort()
print(l, type(l), sorted(l), l == [1, 2, 3, 5], [1, 2, 3, 5] == l, l < [9])
l2 = l + [7]
print(type(l2), l2, type([0] + l), [0] + l, l * 2, 2 * l)
l += [8]
print(type(l), l)
l[0] = 100
del l[1]
print(l, list(reversed(l)), sum(l), max(l))
l.tag = 'x'
print(l.tag, repr(l), str(l))
try:
    hash(l)
except TypeError as e:
    print(e)

class Stack(list):
    def push(self, x):
        self.append(x)
    def __len__(self):
        return super().__len__() * 10
    def __getitem__(self, i):
        return ('item', super().__getitem__(i))
    def __iter__(self):
        yield from ('a', 'b')
s = Stack()
s.push(1); s.push(2)
print(len(s), s[0], list(s), bool(s), list.__len__(s), list.__getitem__(s, 1))
print(s.pop(), s.copy(), type(s.copy()))
class Init(list):
    def __init__(self, n):
        super().__init__(range(n))
        self.n = n
i = Init(3)
print(i, i.n, i.index(2), i.count(0))
print(L(), L('ab'), L(x for x in range(3)))
for x in L([1, 2]):
    print(x)
a, b = L([1, 2])
print(a, b, [*L([4, 5])])
try:
    L(1, 2)
except TypeError as e:
    print(e)

def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: L([1]) + 1)
err(lambda: L([1]) * 'x')
err(lambda: L()[3])
err(lambda: L(5))
err(lambda: L() < 1)
err(lambda: list.append(5, 1))
x = L([1])
y = x
y += [2]
y *= 2
print(x is y, x, type(x), L([1, 2]) == L([1, 2]), L([1]) < L([2]), [1] + L([2]), L([2]) * 0)
match L([1, 2, 3]):
    case [first, *others]:
        print('sequence', first, others)
