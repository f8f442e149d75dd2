# Merging a dict subclass (update, dict(), **): read directly unless the subclass overrides
# __iter__, then through keys() and __getitem__; str subclasses as print's sep/end and as
# attribute names.
class G(dict):
    def __getitem__(self, k):
        print('getitem', k)
        return 'G'
    def keys(self):
        print('keys')
        return super().keys()
g = G(a=1)
d = {}
d.update(g)
print(d, dict(g), {**g}, dict(**g))
class GI(G):
    def __iter__(self):
        print('iter')
        return super().__iter__()
gi = GI(b=2)
d = {}
d.update(gi)
print(d, dict(gi), {**gi})
class S(str):
    pass
print('a', 'b', sep=S('-'), end=S('!\n'))
class O:
    attr = 5
print(getattr(O, S('attr')), hasattr(O, S('attr')), setattr(O, S('b'), 1), O.b)
