# vigil's json: dumps/dump and loads/load with CPython's default formatting (separators,
# indent, sort_keys, ensure_ascii escapes, float repr, NaN/Infinity).

class JSONDecodeError(ValueError):
    def __init__(self, msg, doc, pos):
        lineno = doc.count("\n", 0, pos) + 1
        colno = pos - doc.rfind("\n", 0, pos)
        ValueError.__init__(self, "%s: line %d column %d (char %d)" % (msg, lineno, colno, pos))
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno


_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _encode_str(s, ensure_ascii):
    out = ['"']
    for ch in s:
        if ch in _ESC:
            out.append(_ESC[ch])
        else:
            o = ord(ch)
            if o < 0x20 or (ensure_ascii and o > 0x7E):
                if o > 0xFFFF:
                    o -= 0x10000
                    out.append("\\u%04x\\u%04x" % (0xD800 | (o >> 10), 0xDC00 | (o & 0x3FF)))
                else:
                    out.append("\\u%04x" % o)
            else:
                out.append(ch)
    out.append('"')
    return "".join(out)


def _float(f, allow_nan):
    if f != f:
        text = "NaN"
    elif f == float("inf"):
        text = "Infinity"
    elif f == -float("inf"):
        text = "-Infinity"
    else:
        return repr(f)
    if not allow_nan:
        raise ValueError("Out of range float values are not JSON compliant: " + repr(f))
    return text


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    if isinstance(indent, int):
        indent = " " * indent
    if separators is None:
        separators = (", ", ": ") if indent is None else (",", ": ")
    item_sep, key_sep = separators

    def enc(o, level):
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, str):
            return _encode_str(o, ensure_ascii)
        if isinstance(o, int):
            return repr(o)
        if isinstance(o, float):
            return _float(o, allow_nan)
        if isinstance(o, (list, tuple)):
            if not o:
                return "[]"
            if indent is None:
                return "[" + item_sep.join(enc(v, level) for v in o) + "]"
            pad = "\n" + indent * (level + 1)
            return "[" + pad + (item_sep + pad).join(enc(v, level + 1) for v in o) + "\n" + indent * level + "]"
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = list(o.items())
            if sort_keys:
                items.sort(key=lambda kv: kv[0])
            parts = []
            for k, v in items:
                if isinstance(k, str):
                    ks = k
                elif isinstance(k, float):
                    ks = _float(k, allow_nan)
                elif k is True:
                    ks = "true"
                elif k is False:
                    ks = "false"
                elif k is None:
                    ks = "null"
                elif isinstance(k, int):
                    ks = repr(k)
                elif skipkeys:
                    continue
                else:
                    raise TypeError("keys must be str, int, float, bool or None, not " + type(k).__name__)
                parts.append(_encode_str(ks, ensure_ascii) + key_sep + enc(v, level + 1 if indent is not None else level))
            if indent is None:
                return "{" + item_sep.join(parts) + "}"
            pad = "\n" + indent * (level + 1)
            return "{" + pad + (item_sep + pad).join(parts) + "\n" + indent * level + "}"
        if default is not None:
            return enc(default(o), level)
        raise TypeError("Object of type %s is not JSON serializable" % type(o).__name__)

    return enc(obj, 0)


def dump(obj, fp, **kw):
    fp.write(dumps(obj, **kw))


_WS = " \t\n\r"


def loads(s, **kw):
    if isinstance(s, (bytes, bytearray)):
        s = s.decode()
    n = len(s)

    def skip(i):
        while i < n and s[i] in _WS:
            i += 1
        return i

    def value(i):
        i = skip(i)
        if i >= n:
            raise JSONDecodeError("Expecting value", s, i)
        c = s[i]
        if c == "{":
            obj = {}
            i = skip(i + 1)
            if i < n and s[i] == "}":
                return obj, i + 1
            while True:
                i = skip(i)
                if i >= n or s[i] != '"':
                    raise JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
                key, i = string(i + 1)
                i = skip(i)
                if i >= n or s[i] != ":":
                    raise JSONDecodeError("Expecting ':' delimiter", s, i)
                v, i = value(i + 1)
                obj[key] = v
                i = skip(i)
                if i < n and s[i] == ",":
                    i += 1
                    continue
                if i < n and s[i] == "}":
                    return obj, i + 1
                raise JSONDecodeError("Expecting ',' delimiter", s, i)
        if c == "[":
            arr = []
            i = skip(i + 1)
            if i < n and s[i] == "]":
                return arr, i + 1
            while True:
                v, i = value(i)
                arr.append(v)
                i = skip(i)
                if i < n and s[i] == ",":
                    i += 1
                    continue
                if i < n and s[i] == "]":
                    return arr, i + 1
                raise JSONDecodeError("Expecting ',' delimiter", s, i)
        if c == '"':
            return string(i + 1)
        for word, val in (("null", None), ("true", True), ("false", False), ("NaN", float("nan")),
                          ("Infinity", float("inf")), ("-Infinity", -float("inf"))):
            if s.startswith(word, i):
                return val, i + len(word)
        j = i
        if j < n and s[j] == "-":
            j += 1
        while j < n and s[j].isdigit():
            j += 1
        is_float = False
        if j < n and s[j] == ".":
            is_float = True
            j += 1
            while j < n and s[j].isdigit():
                j += 1
        if j < n and s[j] in "eE":
            is_float = True
            j += 1
            if j < n and s[j] in "+-":
                j += 1
            while j < n and s[j].isdigit():
                j += 1
        text = s[i:j]
        if not text or text == "-":
            raise JSONDecodeError("Expecting value", s, i)
        return (float(text) if is_float else int(text)), j

    def string(i):
        out = []
        while True:
            if i >= n:
                raise JSONDecodeError("Unterminated string starting at", s, i)
            c = s[i]
            if c == '"':
                return "".join(out), i + 1
            if c == "\\":
                e = s[i + 1]
                if e == "u":
                    code = int(s[i + 2:i + 6], 16)
                    i += 6
                    if 0xD800 <= code < 0xDC00 and s.startswith("\\u", i):
                        low = int(s[i + 2:i + 6], 16)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    out.append(chr(code))
                    continue
                out.append({"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/"}.get(e, e))
                i += 2
                continue
            out.append(c)
            i += 1

    v, i = value(0)
    i = skip(i)
    if i != n:
        raise JSONDecodeError("Extra data", s, i)
    return v


def load(fp, **kw):
    return loads(fp.read(), **kw)
