# str case mappings and predicates on non-ASCII text (CPython 3.13 Unicode rules).
ws = ["straße", "ΣΑΣ", "ǆungla", "½", "٣", "x²", "ﬁre", "hello world", "İstanbul", "", "Ab1_", "_x1", "1x", "MiXeD Case", "ǅ", "\u2028", " \t", "ⅷ"]
for w in ws:
    print(repr(w), w.upper(), w.lower(), w.casefold(), w.swapcase(), w.capitalize(), w.title(),
          w.isdigit(), w.isdecimal(), w.isnumeric(), w.isalpha(), w.isalnum(), w.isspace(),
          w.isupper(), w.islower(), w.isidentifier())
