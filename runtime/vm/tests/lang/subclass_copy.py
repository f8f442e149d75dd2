# copy.copy and copy.deepcopy of instances of subclasses of builtin types: class, value,
# instance attributes, the subclass's __setitem__ used to refill, a __str__ override ignored.
import copy
class D(dict):
    pass
class L(list):
    pass
class S(str):
    def __str__(self):
        return 'other'
class I(int):
    pass
class St(set):
    pass
d = D(a=[1]); d.tag = 't'
c = copy.copy(d); dc = copy.deepcopy(d)
print(type(c), c, c.tag, type(dc), dc, dc['a'] is d['a'], c['a'] is d['a'], dc.tag)
l = L([1, [2]]); l.n = 1
print(type(copy.copy(l)), copy.copy(l), copy.deepcopy(l), copy.copy(l).n, copy.deepcopy(l)[1] is l[1])
print(copy.copy(S('x')) == 'x', type(copy.copy(S('x'))), copy.deepcopy(I(3)), type(copy.deepcopy(I(3))), copy.copy(St([1])))
class Logged(dict):
    def __setitem__(self, k, v):
        print('set', k)
        super().__setitem__(k, v)
print(copy.copy(Logged(z=1)))
print('a', 'b', sep='-', end='!\n')
