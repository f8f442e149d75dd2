# A real-world style use of re: a tokenizer for a tiny expression language built from one
# master pattern of named alternatives (the recipe from the re docs), and an access-log
# parser with verbose patterns, named groups, finditer, sub with a function, and split.
import re
from collections import Counter

TOKEN_SPEC = [
    ("NUMBER", r"\d+(?:\.\d*)?"),
    ("ASSIGN", r":="),
    ("END", r";"),
    ("ID", r"[A-Za-z_]\w*"),
    ("OP", r"[+\-*/()]"),
    ("NEWLINE", r"\n"),
    ("SKIP", r"[ \t]+"),
    ("MISMATCH", r"."),
]
MASTER = re.compile("|".join("(?P<%s>%s)" % pair for pair in TOKEN_SPEC))
KEYWORDS = {"IF", "THEN", "ENDIF", "FOR", "NEXT", "GOSUB", "RETURN"}


def tokenize(code):
    line_num = 1
    line_start = 0
    for mo in MASTER.finditer(code):
        kind = mo.lastgroup
        value = mo.group()
        column = mo.start() - line_start
        if kind == "NUMBER":
            value = float(value) if "." in value else int(value)
        elif kind == "ID" and value in KEYWORDS:
            kind = value
        elif kind == "NEWLINE":
            line_start = mo.end()
            line_num += 1
            continue
        elif kind == "SKIP":
            continue
        elif kind == "MISMATCH":
            raise RuntimeError(f"{value!r} unexpected on line {line_num}")
        yield kind, value, line_num, column


statements = """
    IF quantity THEN
        total := total + price * quantity;
        tax := price * 0.05;
    ENDIF;
"""
for tok in tokenize(statements):
    print(tok)
try:
    list(tokenize("x := 1 $ 2"))
except RuntimeError as e:
    print("error:", e)

LOG = """\
127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326
10.0.0.7 - - [10/Oct/2000:13:56:01 -0700] "POST /login HTTP/1.1" 302 -
10.0.0.7 - - [10/Oct/2000:13:56:02 -0700] "GET /home?user=ünïcode HTTP/1.1" 200 5120
192.168.1.20 - alice [10/Oct/2000:14:01:12 -0700] "GET /missing HTTP/1.1" 404 512
garbage line that does not parse
192.168.1.20 - alice [10/Oct/2000:14:02:40 -0700] "DELETE /item/42 HTTP/1.1" 500 0
"""

LINE = re.compile(r"""
    ^(?P<host>\d{1,3}(?:\.\d{1,3}){3})   # client address
    \s-\s(?P<user>\S+)\s                  # identity, user
    \[(?P<day>\d{2})/(?P<mon>\w{3})/(?P<year>\d{4}):(?P<time>[\d:]+)\s(?P<tz>[+-]\d{4})\]
    \s"(?P<method>[A-Z]+)\s(?P<path>\S+)\s(?P<proto>HTTP/[\d.]+)"
    \s(?P<status>\d{3})\s(?P<size>\d+|-)$
""", re.VERBOSE | re.MULTILINE)

by_status = Counter()
total = 0
for m in LINE.finditer(LOG):
    d = m.groupdict()
    by_status[d["status"]] += 1
    if d["size"] != "-":
        total += int(d["size"])
    print(m.start(), m.group("host", "method", "status"), m.span("path"), d["user"] if d["user"] != "-" else None)
print(sorted(by_status.items()), total)
bad = [line for line in LOG.splitlines() if not LINE.match(line)]
print(bad)

# Redact addresses, normalise whitespace, split on punctuation.
print(re.sub(r"\b(\d{1,3})\.\d{1,3}\.\d{1,3}\.(\d{1,3})\b", r"\1.x.x.\2", LOG.splitlines()[0]))
print(re.sub(r"\d+", lambda m: str(int(m.group()) // 100 * 100), "sizes 2326 5120 512"))
print(re.split(r"[\s,;]+", "alpha, beta;gamma  delta"), re.split(r"(\d)", "a1b2c"))
query = LINE.search(LOG).re.pattern.count("(?P<")
print(query, LINE.groups, sorted(LINE.groupindex)[:4])
params = dict(re.findall(r"(\w+)=([^&\s]*)", "/home?user=ünïcode&lang=fr&empty="))
print(params)
print(re.fullmatch(r"[\w.+-]+@[\w-]+\.[\w.]+", "first.last+tag@example.co.uk") is not None,
      re.fullmatch(r"[\w.+-]+@[\w-]+\.[\w.]+", "not an email") is not None)
camel = re.compile(r"(?<!^)(?=[A-Z])")
print([camel.sub("_", n).lower() for n in ("parseHTTPResponse", "CamelCase", "simple")])
