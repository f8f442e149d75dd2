# list.pop, list.append and list.insert check their arguments as CPython 3.13 does, also when
# the count is right but a keyword comes with it.
cases = [
    "[1, 2, 3].pop()",
    "[1, 2, 3].pop(0)",
    "[1, 2, 3].pop(-1)",
    "[1, 2, 3].pop(0, 1)",
    "[1, 2, 3].pop('x')",
    "[1].pop(index=0)",
    "[].pop()",
    "[].pop(0, 1)",
    "[1].append(1, x=2)",
    "[1].append(x=2)",
    "[1].insert(0, 1, x=2)",
    "[1].insert(0, x=2)",
    "[1].append(5)",
    "[1].insert(0, 5)",
]
for c in cases:
    try:
        print(c, "->", eval(c))
    except Exception as e:
        print(c, "->", type(e).__name__, e)
