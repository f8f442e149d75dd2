# Subclasses of str: str methods and operators on the text, hashing and dict keys equal to
# the str, join/int()/float() on the text, __new__ overrides, __str__/__repr__/__len__/
# __eq__/__hash__ overrides, formatting.
class S(str):
    pass

s = S('Hello')
print(s, type(s), isinstance(s, str), len(s), s[0], s[1:3], 'ell' in s, s.upper(), type(s.upper()))
print(s == 'Hello', 'Hello' == s, s < 'Z', hash(s) == hash('Hello'), s + '!', type(s + '!'), '>' + s, s * 2, 2 * s)
print(repr(s), str(s), type(str(s)), f'{s}', f'{s:>8}', '%s|%r' % (s, s), format(s, '^9'))
print(','.join([S('a'), S('b'), 'c']), S('-').join(['x', 'y']), int(S('42')) + 1, float(S('2.5')), int(S('ff'), 16))
d = {S('k'): 1}
print(d['k'], d[S('k')], 'k' in d, {'k': 2}[S('k')])
print(sorted([S('b'), 'a', S('c')]), list(S('ab')), s.split('l'), s.startswith('He'), s.replace('l', 'L'))
s.attr = 1
print(s.attr)

class Upper(str):
    def __new__(cls, v):
        return super().__new__(cls, v.upper())
    def shout(self):
        return self + '!'
    def __len__(self):
        return 99
u = Upper('abc')
print(u, type(u), u.shout(), len(u), str.__len__(u), u.lower())

class Named(str):
    def __str__(self):
        return 'named'
    def __repr__(self):
        return 'Named()'
n = Named('x')
print(n, str(n), repr(n), f'{n}', [n], n + 'y', '%s' % n)

class CI(str):
    def __eq__(self, o):
        return self.lower() == o.lower()
    def __hash__(self):
        return hash(self.lower())
print(CI('AbC') == 'abc', CI('x') != 'X', {CI('A'): 1}.get(CI('a')))
try:
    hash(type('E', (str,), {'__eq__': lambda s, o: True})('x'))
except TypeError as e:
    print(e)
print(S(), S(5), S(b'ab', 'ascii'))

def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: S('a') + 1)
err(lambda: 1 + S('a'))
err(lambda: S('a') * 'b')
err(lambda: S('a') < 1)
err(lambda: int(S('x1')))
err(lambda: S('abc')[10])
err(lambda: str.upper(5))
match S('abc'):
    case 'abc':
        print('matched literal')
print(KeyError(S('kk')), str(S('x')).__class__, S('ab') == S('ab'), S('a') in 'cab', S('b') in S('abc'))
