# Subclasses of tuple: the namedtuple-like __new__ calling super().__new__(cls, (x, y)),
# properties over the items, unpacking, hashing, operators and tuple methods.
class P(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))
    @property
    def x(self):
        return self[0]
    @property
    def y(self):
        return self[1]
    def __repr__(self):
        return f'P(x={self.x}, y={self.y})'
p = P(1, 2)
print(p, type(p), isinstance(p, tuple), p.x, p.y, len(p), p[0], p[-1], p[:1], list(p), tuple(p), 2 in p)
a, b = p
print(a, b, p == (1, 2), (1, 2) == p, p < (1, 3), hash(p) == hash((1, 2)), {p: 'v'}[(1, 2)], p + (3,), type(p + (3,)), (0,) + p, p * 2)
print(str(p), f'{p}', [p], '%s' % (p,), p.index(2), p.count(1), sorted([P(2, 1), P(1, 5)]), max(P(1, 2), P(1, 3)))
print(tuple.__repr__(p), tuple.__len__(p))

class T(tuple):
    pass
t = T([1, 2, 3])
print(t, type(t), T(), T('ab'), t[1:], type(t[1:]), t.count(2), dict([T(('k', 'v'))]))
t.note = 'n'
print(t.note, repr(t), sum(t), '-'.join(map(str, t)))
print(*t)
def f(*args):
    return args
print(f(*t), type(f(*t)))
try:
    t[0] = 5
except TypeError as e:
    print(e)

def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: P(1))
err(lambda: T([1]) + [1])
err(lambda: T([1])[5])
err(lambda: hash(T([[]])))
print(tuple.__new__(T, [1, 2]), type(tuple.__new__(T, [1, 2])), tuple.__new__(tuple, 'ab'))
match P(3, 4):
    case (x, y):
        print('sequence', x, y)
