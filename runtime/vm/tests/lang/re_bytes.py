# re with bytes patterns: ASCII classes and case folding, bytes above 0x7f as single
# characters, templates, escape, bytearray subjects, str/bytes mix-ups (CPython's TypeErrors).
import re
print(re.findall(rb'\w+', b'hello w\xe9rld 42_x'), re.findall(rb'[\x80-\xff]+', b'ab\xe9\xff c'))
print(re.search(rb'(?P<k>\w+)=(?P<v>\d+)', b'x a=12 b').groupdict(), re.compile(rb'a.c', re.I))
print(re.sub(rb'(\d+)', rb'<\1>', b'a1b22'), re.sub(rb'\d', lambda m: m[0] * 2, b'a1b2'), re.subn(b'a', b'', b'banana'))
print(re.split(rb'[,;]\s*', b'a, b;c'), re.split(rb'(\s)', b'a b'), re.fullmatch(rb'\xe9+', b'\xe9\xe9'))
print(re.match(rb'(?i)HELLO', b'hello'), re.match(rb'(?i)\xe9', b'\xc9'), re.search(rb'.', b'\n\xff'), re.search(rb'(?s).', b'\n'))
print(re.escape(b'a.b\xe9'), re.compile(b'a').flags, re.compile(b'(?a)a').flags, re.compile(b'a', re.A).flags)
print(re.findall(rb'\bx\b', b'x \xe9x x'), re.findall(rb'\s+', b'a\x1c\x85b'), re.findall(b'^a$', b'a\nb\na\n', re.M))
m = re.search(rb'(a)(b)?', bytearray(b'xab'))
print(m, m.groups(), m.span(), m.expand(rb'\2\1'), re.findall(rb'(a)(x)?', b'aa'))
for bad in [rb'\u1234', b'(?u)a', b'[a', b'a\n(']:
    try:
        re.compile(bad)
    except re.error as e:
        print(e, e.pos, e.lineno)
for f in [lambda: re.search(b'a', 'a'), lambda: re.search('a', b'a'), lambda: re.compile(b'a', re.U),
          lambda: re.sub(b'a', 'x', b'a'), lambda: re.sub('a', b'x', 'a'), lambda: re.sub(b'a', lambda m: 'x', b'a')]:
    try:
        f()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for f in [lambda: re.sub(b'a', 'x', b'b'), lambda: re.sub(b'a', 'x', b'ca'), lambda: re.sub('a', lambda m: 5, 'ca'), lambda: re.sub('a', lambda m: 5, 'a'), lambda: re.sub('a', 5, 'a')]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
