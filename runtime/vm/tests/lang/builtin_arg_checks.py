# Argument checking of builtin functions and builtin type constructors: counts, unknown
# keywords, positional-only parameters passed by keyword, and valid keywords, with
# CPython 3.13's exact messages (three families: METH_O, the positional checker, Argument
# Clinic).

def show(src):
    try:
        r = eval(src)
        if type(r).__name__ in ("enumerate", "reversed", "zip", "map", "filter", "list_reverseiterator", "range_iterator"):
            r = list(r)
        r = repr(r) if not callable(r) else type(r).__name__
        print(src, "->", r if " at 0x" not in r else "<" + r.split()[0][1:] + " object>")
    except Exception as e:
        print(src, "->", type(e).__name__ + ":", e)

names = ["len", "repr", "ascii", "abs", "sum", "sorted", "reversed", "enumerate", "filter",
         "any", "all", "iter", "next", "isinstance", "issubclass", "getattr", "setattr",
         "delattr", "hasattr", "id", "hash", "chr", "ord", "hex", "oct", "bin", "format",
         "callable", "round", "divmod", "pow", "dir", "vars", "bool", "float", "tuple", "list",
         "map", "zip", "min", "max", "range", "set", "frozenset", "dict", "str", "int", "type",
         "object", "bytes", "bytearray", "slice", "property", "classmethod", "staticmethod",
         "globals", "locals", "exec", "eval", "compile", "__import__"]
for n in names:
    if n not in ("dir", "vars", "globals", "locals"):
        show(n + "()")
    show(n + "(1, 2, 3, 4, 5, 6, 7)")
    show(n + "(foo=1)")
    show(n + "([1], foo=1)")

# Positional-only parameters given by keyword.
for src in ["len(obj=1)", "repr(obj=1)", "abs(x=1)", "sum(iterable=[1])", "sorted(iterable=[1])",
            "reversed(sequence=[1])", "reversed(seq=[1])", "filter(function=None, iterable=[1])",
            "any(iterable=[1])", "isinstance(obj=1, class_or_tuple=int)", "chr(i=65)",
            "ord(c='a')", "hex(number=1)", "format(value=1)", "divmod(x=1, y=2)",
            "bool(object=1)", "bool(x=1)", "float(x=1)", "tuple(iterable=[1])", "list(x=1)",
            "list(iterable=[1])", "set(iterable=[1])", "frozenset(iterable=[1])",
            "tuple(x=1)", "len(x=1)", "id(obj=1)", "hash(obj=1)", "callable(obj=1)",
            "iter(object=[1])", "next(iterator=iter([1]))", "getattr(object=1, name='real')",
            "vars(object=1)", "dir(object=1)", "classmethod(function=len)",
            "staticmethod(function=len)", "slice(stop=1)", "range(stop=1)",
            "object(x=1)", "type(object=1)"]:
    show(src)

# Valid keywords.
for src in ["enumerate(iterable=[1], start=2)", "enumerate([1], start=5)", "enumerate(start=2, iterable='ab')",
            "round(number=2.5)", "round(2.567, ndigits=2)", "round(number=2.567, ndigits=1)",
            "round(1.5, nd=1)", "round(1.5, ndigits=1, x=2)", "round(1.5, 1, ndigits=2)",
            "pow(base=2, exp=3)", "pow(2, exp=3, mod=5)", "pow(2, 3, mod=5)", "pow(2, base=3)",
            "pow(exp=2)", "pow(2, 3, 5, mod=5)", "sum([1], start=3)", "sum([1], 2, start=3)",
            "sorted([3, 1], reverse=True)", "sorted([3, 1, 2], key=lambda x: -x)",
            "sorted([1], 2)", "sorted([1], foo=2)",
            "int('10', base=2)", "int('10', 8)", "int(x='10')", "int('10', bas=2)", "int(base=2)",
            "int(1, 2, 3)", "float('1.5')", "str(object=5)", "str(1, 2, 3, 4)",
            "str(b'ab', encoding='utf-8')", "str(b'ab', 'utf-8')", "str(b'ab', errors='strict')",
            "str(b'ab', 'utf-8', 'strict')", "str(foo=1)", "str(5, encoding='utf-8')",
            "dict({}, {})", "dict({1: 2}, a=3)", "dict(a=1, b=2)", "dict([(1, 2)])",
            "set([1], [2])", "frozenset([1], [2])",
            "zip([1], [2], strict=True)", "zip([1], 2)", "zip(1)", "zip([1], stric=True)",
            "map(None)", "map()", "map(str, [1], foo=1)", "filter(None)", "filter(None, [0, 1], foo=1)",
            "min([1, 2], key=None)", "min([], default=5)", "min([1], foo=1)", "min()",
            "max(1, 2, default=3)", "max()", "max([3, 4], key=lambda x: -x)",
            "iter([1], 2, 3)", "next(iter([]), 5)", "next()", "getattr(1)", "getattr(1, 'real', 2, 3)",
            "bytes(3)", "bytes('ab', 'ascii')", "bytes(source=b'x')", "bytes('ab', encoding='ascii')",
            "bytearray(b'x')", "bytes(b'', 1, 2, 3)",
            "range(1, 2, 3, 4)", "slice(1, 2, 3, 4)", "slice()", "range()",
            "type(1, 2)", "type(1, 2, 3, 4)", "object(1)",
            "property(fget=None, doc='d').__doc__", "property(foo=1)", "property(1, 2, 3, 4, 5)",
            "vars(1, 2)", "dir(1, 2)",
            "print(1, sepx=2)", "print(1, sep='-', end='!\\n')",
            "eval('1+1', globals={})", "eval('a', None, locals={'a': 3})", "eval(source='1')",
            "exec('a = 1', globals={})", "exec('pass', {}, {}, closure=None)", "exec(source='1')",
            "compile('1', 'f', 'eval', foo=1)", "compile(source='1', filename='f', mode='eval').co_filename",
            "__import__(name='math').__name__", "__import__('math', foo=1)",
            "open()", "open(foo=1)", "open('no-such-file', mod='r')",
            "open('no-such-file', 'r', -1, None, None, None, True, None, 9)",
            "open('no-such-file', mode='r', file='x')"]:
    show(src)

# Without an argument, vars() is locals() (at module level: the module's namespace).
print(vars() is globals(), "show" in dir(), dir() == sorted(globals()))

# In a function, vars(), locals() and dir() see its bound fast locals, cells and free
# variables (a new dict each time); in a class body, the class namespace.
def f(x):
    a = 1
    early = vars()
    def g():
        return a
    late = locals()
    return early, sorted(late), sorted(dir()), vars() is vars()
print(f(5))
def h():
    n = 3
    def inner():
        return n + 1, sorted(vars())
    return inner()
print(h())
class C:
    y = 2
    print(sorted(k for k in vars() if not k.startswith("__")), vars() is locals())
print([locals() for _ in range(1)][0] == {})

# eval/exec without namespaces run in the caller's globals and locals() (a snapshot in a
# function: exec's assignments do not show in later locals()).
def f():
    x = 1
    r = eval("x + 1")
    exec("y = x + 10")
    return r, "y" in locals(), eval("[x for _ in range(2)]")
print(f())
exec("z = 5")
print(z, eval("z * 2"))
class C:
    a = 3
    b = eval("a + 1")
print(C.b)
def g():
    return eval("q", {"q": 7}), eval("w", None, {"w": 8})
print(g())
def h(n):
    def k():
        return eval("n")
    return k()
try:
    print(h(4))
except NameError as e:
    print("NameError", e)
