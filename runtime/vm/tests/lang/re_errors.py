# re errors: PatternError messages, positions, line/column; template errors; bad group
# indexes; pos/endpos clamping on non-ASCII text; argument type errors.
import re
bads = ['(', '(a', 'a)', '())', 'a**', 'a*??', '*a', '+', '?', '{1}', 'a{2}{3}', '^*', r'\b+', '[a', '[', '[]', '[^]', r'[\q]',
 r'\q', '\\', r'a\\', '(?P<1>a)', '(?P<a>a)(?P<a>b)', '(?P=x)', '(?P<a>(?P=a))', '(?P', '(?Px)', '(?P<>a)', '(?P<a', 'a{3,2}', 'a{99999999999}',
 '(?<=a+)b', '(?<=a|bc)d', '(?<!a*)', r'\1', r'(a)\2', r'(a\1)', '(?z)', '(?', '(?<x)', 'x(?i)', '(?i', '(?i-i:a)', '(?-a:x)', '(?au)x', '(?L)x',
 '(?i-:a)', '(?#abc', r'[z-a]', r'[a-\d]', r'\x1', r'\u12', r'\U0011FFFF', r'\8', r'[\8]', r'\400', '(?(1)a|b)', '(?(x)a)', '(?(1a)a)', '(?(0)a)',
 '(a)(?(1)a|b|c)', 'a\n(', '(?x)a b (', r'(?<=(a))\1', r'(?<=a(?P=x))', 'ab\n)\n', '(?<=x+)|*', '(?<=x+)(']
for bad in bads:
    try:
        re.compile(bad)
        print(repr(bad), 'compiled')
    except re.error as e:
        print(repr(bad), '->', e, '|', e.msg, e.pos, e.lineno, e.colno, e.pattern == bad)
    except Exception as e:
        print(repr(bad), type(e).__name__, e)
for t in [r'\g', r'\g<', r'\g<a', r'\g<>', r'\g<1a>', r'\g<b>', r'\g<3>', r'\3', r'\q', '\\', r'\777', r'\g<0>\08\18\9']:
    try:
        print(repr(t), repr(re.sub(r'(?P<a>x)(y)', t, 'xy')))
    except re.error as e:
        print(repr(t), '->', e, e.pos)
    except Exception as e:
        print(repr(t), type(e).__name__, e)
m = re.search('(b)', 'abc')
for g in [3, -1, 'x', 1.0, None]:
    try:
        print(m.group(g))
    except Exception as e:
        print(type(e).__name__, e)
print(m.group(True))
for args in [(1,), (1, 2), (-1,), (10,), (-10, -5), (2, 1)]:
    p = re.compile('é.')
    print(args, p.search('aébécé', *args), p.findall('aébécé', *args), p.match('aébécé', *args))
try:
    re.search('a', b'a')
except TypeError as e:
    print(e)
try:
    re.search('a', 5)
except TypeError as e:
    print(e)
try:
    re.compile(re.compile('a'), re.I)
except ValueError as e:
    print(e)
try:
    re.compile('a', re.L)
except ValueError as e:
    print(e)
print(re.compile(re.compile('a')).pattern, re.compile('a', re.U).flags)
print(re.sub('a', 'b', 'aaa', count=0), re.sub('(a)', r'\1\1', 'aXa'), re.sub('x', '\\\\', 'x'))
try:
    re.sub('a', lambda m: None, 'a')
except TypeError as e:
    print(e)
print(re.split(r'x*', 'axbc'), re.split(r'(?=b)', 'abab'), re.split(r'^', 'a\nb', flags=re.M))
print(re.findall(r'(?m)^\s*(\w+):', 'a: 1\n  bb: 2\nc 3'))
print(re.compile(r'(?P<a>.)(?P<b>.)?').match('x').lastgroup, re.match('(?:(a)|(b))+', 'ab').lastindex, re.match('(?:(a)|b)+', 'ab').lastindex)
print(re.match(r'(a)(b(c))(d)?', 'abc').lastindex, re.match(r'(a)|(ab)', 'ab').span(), re.match(r'a*(?=b)|a*', 'aaa'))
