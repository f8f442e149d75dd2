# Subclasses of builtin types together: json, generators and builtins fed subclass values,
# invalid bases (CPython's messages), layout conflicts, MROs, a Python __delattr__.
import json
class D(dict):
    pass
class S(str):
    pass
class I(int):
    pass
class L(list):
    pass
print(json.dumps(D(a=L([1, I(2)]), b=S('x'))), json.dumps({S('k'): 1.5}), json.loads(S('[1]')))
print(sum(I(i) for i in range(5)), ''.join(S(c) for c in 'abc'), list(I(i) for i in range(3)), max(S(c) for c in 'xay'))
print(sorted(L([3, 1, 2]), reverse=True), sorted(D(b=1, a=2)), min(D(b=1, a=2)), set(L([1, 1])), tuple(D(z=1)))
def gen():
    yield I(1)
    yield S('s')
print([x for x in gen()], [type(x).__name__ for x in gen()])
for bad in ['int, str', 'dict, list', 'dict, Exception', 'L, tuple']:
    try:
        exec(f'class X({bad}): pass')
    except TypeError as e:
        print(bad, '->', e)
for t in [bool, range, slice, type(None), type(lambda: 0)]:
    try:
        class X(t):
            pass
    except TypeError as e:
        print(e)
class E(D):
    pass
print(E(q=1), issubclass(E, dict), E.__mro__)
print(D.__mro__, S.__bases__, I.__name__)

class Guard:
    def __delattr__(self, name):
        print('delattr', name)
        object.__delattr__(self, name)
g = Guard()
g.a = 1
del g.a
print(hasattr(g, 'a'))

class D(dict):
    def __init__(self, x):
        self.x = x
d = D(5)
print(d, d.x, len(d))
class L(list[int]):
    def __init__(self, n):
        self.n = n
l = L(3)
print(l, l.n, L.__mro__)
c = D(0); c.update(b=2, a=1)
print(sorted(c, key=c.get), [k for k, v in c.items() if v > 1], '{} {!r} {:>4}'.format(c, c, 'x'))
class Counter(dict):
    def __missing__(self, k):
        return 0
cnt = Counter()
for ch in 'hello':
    cnt[ch] += 1
print(cnt, max(cnt, key=cnt.__getitem__))
class Tree(dict):
    def __missing__(self, k):
        v = self[k] = Tree()
        return v
t = Tree()
t['a']['b']['c'] = 1
print(t)
