# vigil's re: the API of CPython 3.13's re module (Pattern and Match objects, the module
# functions, replacement templates, the compile cache, PatternError) over the native
# `_vigil_re`, which parses Python's pattern syntax, translates it for fancy-regex and runs
# the searches (runtime/vm/src/re.rs). Positions are code point indices throughout.
# Bytes patterns are matched byte by byte (templates and escape() treat them as Latin-1
# text, as CPython does). A few features (\N{...}, LOCALE, DEBUG) are refused with
# NotImplementedError rather than approximated.

import _vigil_re

__all__ = [
    "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer", "compile",
    "purge", "escape", "error", "Pattern", "Match", "A", "I", "L", "M", "S", "X", "U",
    "ASCII", "IGNORECASE", "LOCALE", "MULTILINE", "DOTALL", "VERBOSE", "UNICODE", "NOFLAG",
    "PatternError",
]

NOFLAG = 0
IGNORECASE = I = 2
LOCALE = L = 4
MULTILINE = M = 8
DOTALL = S = 16
UNICODE = U = 32
VERBOSE = X = 64
DEBUG = 128
ASCII = A = 256

_FLAG_NAMES = [
    (IGNORECASE, "re.IGNORECASE"), (LOCALE, "re.LOCALE"), (MULTILINE, "re.MULTILINE"),
    (DOTALL, "re.DOTALL"), (UNICODE, "re.UNICODE"), (VERBOSE, "re.VERBOSE"),
    (DEBUG, "re.DEBUG"), (ASCII, "re.ASCII"),
]

_MAXSIZE = 9223372036854775807


class PatternError(Exception):
    __module__ = "re"

    def __init__(self, msg, pattern=None, pos=None):
        self.msg = msg
        self.pattern = pattern
        self.pos = pos
        if pattern is not None and pos is not None:
            msg = "%s at position %d" % (msg, pos)
            newline = "\n" if isinstance(pattern, str) else b"\n"
            self.lineno = pattern.count(newline, 0, pos) + 1
            self.colno = pos - pattern.rfind(newline, 0, pos)
            if newline in pattern:
                msg = "%s (line %d, column %d)" % (msg, self.lineno, self.colno)
        else:
            self.lineno = self.colno = None
        Exception.__init__(self, msg)


error = PatternError


def _unsupported(what):
    return NotImplementedError("vigil: re does not support " + what)


def _check_text(string, isbytes):
    if isinstance(string, str):
        if isbytes:
            raise TypeError("cannot use a bytes pattern on a string-like object")
        return
    if isinstance(string, (bytes, bytearray)):
        if not isbytes:
            raise TypeError("cannot use a string pattern on a bytes-like object")
        return
    raise TypeError("expected string or bytes-like object, got '%s'" % type(string).__name__)


def _check_piece(piece, isbytes):
    if isbytes:
        if not isinstance(piece, (bytes, bytearray)):
            raise TypeError("expected a bytes-like object, %s found" % type(piece).__name__)
    elif not isinstance(piece, str):
        raise TypeError("expected str instance, %s found" % type(piece).__name__)


def _bounds(string, pos, endpos):
    n = len(string)
    if pos < 0:
        pos = 0
    elif pos > n:
        pos = n
    if endpos < 0:
        endpos = 0
    elif endpos > n:
        endpos = n
    return pos, endpos


class Pattern:
    def __init__(self, pattern, flags, handle, groups, groupindex):
        self.pattern = pattern
        self.flags = flags
        self.groups = groups
        self.groupindex = groupindex
        self._h = handle
        self._names = {idx: name for name, idx in groupindex.items()}
        self._bytes = not isinstance(pattern, str)
        self._empty = b"" if self._bytes else ""

    def __repr__(self):
        text = repr(self.pattern)
        if len(text) > 200:
            text = text[:200]
        flags = self.flags & ~UNICODE
        if not flags:
            return "re.compile(%s)" % text
        names = []
        for bit, name in _FLAG_NAMES:
            if flags & bit and bit != UNICODE:
                names.append(name)
                flags &= ~bit
        if flags:
            names.append("0x%x" % flags)
        return "re.compile(%s, %s)" % (text, "|".join(names))

    def __eq__(self, other):
        if not isinstance(other, Pattern):
            return NotImplemented
        return self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self):
        return hash((self.pattern, self.flags))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def _run(self, string, pos, endpos, mode):
        _check_text(string, self._bytes)
        pos, endpos = _bounds(string, pos, endpos)
        r = _vigil_re.search(self._h, string, pos, endpos, mode)
        if r is None:
            return None
        return Match(self, string, pos, endpos, r)

    def match(self, string, pos=0, endpos=_MAXSIZE):
        return self._run(string, pos, endpos, 1)

    def search(self, string, pos=0, endpos=_MAXSIZE):
        return self._run(string, pos, endpos, 0)

    def fullmatch(self, string, pos=0, endpos=_MAXSIZE):
        return self._run(string, pos, endpos, 2)

    def _scan(self, string, pos, endpos, count, gaps=False):
        _check_text(string, self._bytes)
        pos, endpos = _bounds(string, pos, endpos)
        return pos, endpos, _vigil_re.scan(self._h, string, pos, endpos, count, gaps)

    def finditer(self, string, pos=0, endpos=_MAXSIZE):
        pos, endpos, found = self._scan(string, pos, endpos, 0)
        return iter([Match(self, string, pos, endpos, r) for r in found])

    def findall(self, string, pos=0, endpos=_MAXSIZE):
        pos, endpos, found = self._scan(string, pos, endpos, 0)
        out = []
        g = self.groups
        t = 2 * g + 3
        e = self._empty
        for r in found:
            if g == 0:
                out.append(r[t])
            elif g == 1:
                x = r[t + 1]
                out.append(e if x is None else x)
            else:
                out.append(tuple(e if r[t + k] is None else r[t + k] for k in range(1, g + 1)))
        return out

    def split(self, string, maxsplit=0):
        if maxsplit < 0:
            return [string]
        pos, endpos, (found, gaps) = self._scan(string, 0, _MAXSIZE, maxsplit, True)
        out = []
        g = self.groups
        t = 2 * g + 3
        for i in range(len(found)):
            out.append(gaps[i])
            r = found[i]
            for k in range(1, g + 1):
                out.append(r[t + k])
        out.append(gaps[-1])
        return out

    def _subx(self, repl, string, count):
        _check_text(string, self._bytes)
        if count < 0:
            count = 0
        literal = func = items = None
        if callable(repl):
            func = repl
        elif isinstance(repl, (str, bytes, bytearray)) and isinstance(repl, str) != self._bytes:
            if (b"\\" if self._bytes else "\\") not in repl:
                literal = repl
            else:
                items = _parse_template(repl, self)
                if len(items) == 1 and not isinstance(items[0], int):
                    literal = items[0]
                    items = None
        elif isinstance(repl, (str, bytes, bytearray)):
            # A str replacement for a bytes pattern (or the reverse) fails where CPython's
            # join of the pieces fails: at the first match.
            literal = repl
        else:
            raise TypeError("decoding to str: need a bytes-like object, %s found"
                            % type(repl).__name__)
        pos, endpos, (found, gaps) = self._scan(string, 0, _MAXSIZE, count, True)
        out = []
        t = 2 * self.groups + 3
        for i in range(len(found)):
            if gaps[i]:
                out.append(gaps[i])
            r = found[i]
            if literal is not None:
                piece = literal
            elif items is not None:
                piece = _expand_items(items, r, t, self._empty)
            else:
                piece = func(Match(self, string, pos, endpos, r))
                if piece is None:
                    continue
            if not isinstance(piece, (bytes, bytearray) if self._bytes else str):
                want = "a bytes-like object" if self._bytes else "str instance"
                raise TypeError("sequence item %d: expected %s, %s found"
                                % (len(out), want, type(piece).__name__))
            if piece:
                out.append(piece)
        out.append(gaps[-1])
        return self._empty.join(out), len(found)

    def sub(self, repl, string, count=0):
        return self._subx(repl, string, count)[0]

    def subn(self, repl, string, count=0):
        return self._subx(repl, string, count)

    def scanner(self, string, pos=0, endpos=_MAXSIZE):
        raise _unsupported("Pattern.scanner")


class Match:
    def __init__(self, pattern, string, pos, endpos, r):
        self.re = pattern
        self.string = string
        self.pos = pos
        self.endpos = endpos
        self._r = r
        self.lastindex = r[0]
        self.lastgroup = pattern._names.get(r[0])

    def _index(self, g):
        if isinstance(g, int):
            if 0 <= g <= self.re.groups:
                return g
        elif isinstance(g, str):
            idx = self.re.groupindex.get(g)
            if idx is not None:
                return idx
        raise IndexError("no such group")

    def _get(self, i, default=None):
        x = self._r[2 * self.re.groups + 3 + i]
        if x is None:
            return default
        return x

    def group(self, *args):
        if not args:
            return self._get(0)
        if len(args) == 1:
            return self._get(self._index(args[0]))
        return tuple(self._get(self._index(g)) for g in args)

    def __getitem__(self, g):
        return self._get(self._index(g))

    def groups(self, default=None):
        return tuple(self._get(i, default) for i in range(1, self.re.groups + 1))

    def groupdict(self, default=None):
        return {name: self._get(idx, default) for name, idx in self.re.groupindex.items()}

    def start(self, group=0):
        return self._r[2 * self._index(group) + 1]

    def end(self, group=0):
        return self._r[2 * self._index(group) + 2]

    def span(self, group=0):
        i = self._index(group)
        return (self._r[2 * i + 1], self._r[2 * i + 2])

    @property
    def regs(self):
        return tuple((self._r[2 * i + 1], self._r[2 * i + 2]) for i in range(self.re.groups + 1))

    def expand(self, template):
        return _expand_items(_parse_template(template, self.re), self._r, 2 * self.re.groups + 3,
                             self.re._empty)

    def __repr__(self):
        return "<re.Match object; span=(%d, %d), match=%r>" % (self._r[1], self._r[2], self._get(0))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\"}
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_template_cache = {}


def _parse_template(template, pattern):
    key = (template, pattern.pattern, pattern.flags)
    items = _template_cache.get(key)
    if items is not None:
        return items
    _check_piece(template, pattern._bytes)
    source = template
    if pattern._bytes:
        template = _vigil_re.latin1(template)
    items = []
    lit = []
    n = len(template)
    i = 0

    def err(msg, pos):
        return PatternError(msg, source, pos)

    def addgroup(index, pos):
        if index > pattern.groups:
            raise err("invalid group reference %d" % index, pos)
        if lit:
            items.append(_piece("".join(lit)))
            del lit[:]
        items.append(index)

    def _piece(text):
        return _vigil_re.latin1(text) if pattern._bytes else text

    while i < n:
        c = template[i]
        i += 1
        if c != "\\":
            lit.append(c)
            continue
        if i >= n:
            raise err("bad escape (end of pattern)", i - 1)
        c = template[i]
        i += 1
        if c == "g":
            if i >= n or template[i] != "<":
                raise err("missing <", i)
            i += 1
            j = template.find(">", i)
            if j < 0:
                if i >= n:
                    raise err("missing group name", i)
                raise err("missing >, unterminated name", i)
            name = template[i:j]
            if not name:
                raise err("missing group name", i)
            i = j + 1
            if name.isdecimal() and name.isascii():
                index = int(name)
            else:
                if not name.isidentifier():
                    raise err("bad character in group name %r" % name, i - 1 - len(name))
                if name not in pattern.groupindex:
                    raise IndexError("unknown group name %r" % name)
                index = pattern.groupindex[name]
            addgroup(index, i - 1 - len(name))
        elif c == "0":
            digits = "0"
            while len(digits) < 3 and i < n and template[i] in "01234567":
                digits += template[i]
                i += 1
            lit.append(chr(int(digits, 8) & 0xFF))
        elif c in "0123456789":
            start = i - 2
            digits = c
            isoctal = False
            if i < n and template[i] in "0123456789":
                digits += template[i]
                i += 1
                if c in "01234567" and digits[1] in "01234567" and i < n and template[i] in "01234567":
                    digits += template[i]
                    i += 1
                    isoctal = True
                    v = int(digits, 8)
                    if v > 0o377:
                        raise err("octal escape value \\%s outside of range 0-0o377" % digits, start)
                    lit.append(chr(v))
            if not isoctal:
                addgroup(int(digits), start + 1)
        elif c in _ESCAPES:
            lit.append(_ESCAPES[c])
        elif c in _ASCII_LETTERS:
            raise err("bad escape \\%s" % c, i - 2)
        else:
            lit.append("\\" + c)
    if lit:
        items.append(_piece("".join(lit)))
    if len(_template_cache) >= 512:
        _template_cache.clear()
    _template_cache[key] = items
    return items


def _expand_items(items, r, t, empty):
    out = []
    for it in items:
        if isinstance(it, int):
            x = r[t + it]
            if x is not None:
                out.append(x)
        else:
            out.append(it)
    return empty.join(out)


_cache = {}
_MAXCACHE = 512


def _compile(pattern, flags):
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    if isinstance(pattern, bytearray):
        pattern = bytes(pattern)
    key = (type(pattern), pattern, flags)
    p = _cache.get(key)
    if p is not None:
        return p
    if not isinstance(pattern, (str, bytes)):
        raise TypeError("first argument must be string or compiled pattern")
    flags = int(flags)
    if isinstance(pattern, str):
        if flags & LOCALE:
            raise ValueError("cannot use LOCALE flag with a str pattern")
    else:
        if flags & UNICODE:
            raise ValueError("cannot use UNICODE flag with a bytes pattern")
        if flags & LOCALE:
            raise _unsupported("the LOCALE flag")
    if flags & ASCII and flags & UNICODE:
        raise ValueError("ASCII and UNICODE flags are incompatible")
    if flags & DEBUG:
        raise _unsupported("the DEBUG flag")
    r = _vigil_re.compile(pattern, flags)
    if r[0] is None:
        raise PatternError(r[1], pattern if r[2] is not None else None, r[2])
    groupindex = {}
    for name, idx in r[3]:
        groupindex[name] = idx
    p = Pattern(pattern, r[1], r[0], r[2], groupindex)
    if len(_cache) >= _MAXCACHE:
        _cache.clear()
    _cache[key] = p
    return p


def compile(pattern, flags=0):
    return _compile(pattern, flags)


def match(pattern, string, flags=0):
    return _compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return _compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    return _compile(pattern, flags).search(string)


def findall(pattern, string, flags=0):
    return _compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return _compile(pattern, flags).finditer(string)


def sub(pattern, repl, string, count=0, flags=0):
    return _compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return _compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return _compile(pattern, flags).split(string, maxsplit)


def purge():
    _cache.clear()
    _template_cache.clear()


_SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"


def escape(pattern):
    if isinstance(pattern, (bytes, bytearray)):
        return _vigil_re.latin1(escape(_vigil_re.latin1(pattern)))
    out = []
    for ch in pattern:
        if ch in _SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
