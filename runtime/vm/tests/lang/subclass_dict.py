# Subclasses of dict: construction (keywords, super().__init__, dict.__init__), dict methods
# on the instance, __missing__, overridden __getitem__/__setitem__ seen by d[k] but not by
# get/update, operators, repr, extra attributes, AttrDict, unhashability and errors.
class D(dict):
    pass

d = D(a=1)
print(d, type(d), isinstance(d, dict), type(d) is D)
d['b'] = 2
print(d['a'], d.get('b'), d.get('z', 0), len(d), 'a' in d, list(d), sorted(d.items()))
print(d == {'a': 1, 'b': 2}, {'a': 1, 'b': 2} == d, d != {})
d.x = 5
print(d.x, repr(d), str(d))
for k in d:
    print(k)

class M(dict):
    def __missing__(self, k):
        return k * 2
m = M()
print(m['ab'], m.get('ab'), 'ab' in m)

class L(dict):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.log = []
    def __setitem__(self, k, v):
        self.log.append(k)
        super().__setitem__(k, v.upper() if isinstance(v, str) else v)
    def __getitem__(self, k):
        return super().__getitem__(k.lower())
l = L({'q': 'x'}, r='y')
l['a'] = 'b'
l.update({'c': 'd'})
print(l, l.log, l['A'], l.get('A'))
print(dict.get(l, 'a'), dict.__getitem__(l, 'a'))
print(D.fromkeys([1, 2]))
try:
    hash(D())
except TypeError as e:
    print(e)
try:
    d['nope']
except KeyError as e:
    print('KeyError', e)
c = d.copy()
print(type(c), c)
d |= {'z': 0}
print(type(d), d)
print(type(d | {'y': 1}))
class E(D):
    def __len__(self):
        return 42
print(len(E(a=1)), bool(E()))
print({**d})
print(dict(d), list(d.keys()), list(d.values()))
class AttrDict(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k) from None
    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__
a = AttrDict(x=1)
a.y = 2
print(a, a.x, a.y, hasattr(a, 'z'), getattr(a, 'z', 'dflt'))
del a.x
print(a)

class Old(dict):
    def __init__(self, *args, **kw):
        dict.__init__(self, *args, **kw)
        self.extra = True
o = Old([('k', 1)])
print(o, o.extra, vars(o), o.__dict__, o.__class__.__name__)

def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: D(1, 2))
err(lambda: D([1]))
err(lambda: D()['missing'])
err(lambda: D() < D())
err(lambda: D() + {})
err(lambda: dict.get(5, 'k'))
err(lambda: {D(): 1})
print(D(a=1) == D(a=1), D(a=1) != D(a=2), D() == [], D(x=[1]) | {'y': 2}, {'y': 2} | D(x=1))
print(dict(D(a=1), b=2), D(D(a=1)), D([('p', 1)]), D.fromkeys('ab'), type(D.fromkeys('ab')))
