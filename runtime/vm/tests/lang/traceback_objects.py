import sys
import traceback


def inner(x):
    y = x * 2
    raise ValueError("bad %d" % y)


def middle(x):
    z = x + 1
    return inner(z)


def outer():
    try:
        middle(1)
    except ValueError as e:
        return e


e = outer()
tb = e.__traceback__
print(type(tb).__name__, type(tb.tb_frame).__name__)
print(e.__traceback__ is tb)
n = 0
t = tb
while t is not None:
    f = t.tb_frame
    # The frame that caught the exception returned since: its f_lineno is its return's.
    print(n, t.tb_lineno, f.f_code.co_name, f.f_code.co_filename, f.f_lineno,
          t.tb_lasti >= 0, f.f_globals is globals())
    n += 1
    t = t.tb_next

# f_locals of finished frames
t = tb.tb_next
print(sorted(t.tb_frame.f_locals.items()))
print(sorted(t.tb_next.tb_frame.f_locals.items()))
# f_back chain
fr = tb.tb_next.tb_next.tb_frame
names = []
while fr is not None:
    names.append(fr.f_code.co_name)
    fr = fr.f_back
print(names)

# sys.exc_info inside handler
try:
    inner(5)
except ValueError:
    etype, val, tb2 = sys.exc_info()
    print(etype.__name__, val, tb2 is val.__traceback__, tb2.tb_lineno,
          tb2.tb_next.tb_lineno)
    print(tb2.tb_frame.f_code.co_name, tb2.tb_frame.f_lineno)

# __exit__ receives the traceback
class CM:
    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        print("exit", et.__name__ if et else None, tb is (ev.__traceback__ if ev else None),
              tb.tb_lineno if tb else None)
        return True


with CM():
    inner(3)
with CM():
    pass

# with_traceback / settable
err = ValueError("x")
print(err.__traceback__)
print(err.with_traceback(tb) is err, err.__traceback__ is tb)
err.__traceback__ = None
print(err.__traceback__)
try:
    err.__traceback__ = 5
except TypeError as ex:
    print("TypeError:", ex)


def reraiser():
    try:
        inner(2)
    except ValueError as ex:
        raise ex.with_traceback(None)


try:
    reraiser()
except ValueError as ex:
    t = ex.__traceback__
    lines = []
    while t:
        lines.append((t.tb_frame.f_code.co_name, t.tb_lineno))
        t = t.tb_next
    print(lines)


def reraise_bare():
    try:
        inner(4)
    except ValueError:
        raise


def reraise_named():
    try:
        inner(4)
    except ValueError as ex:
        raise ex


for fn in (reraise_bare, reraise_named):
    try:
        fn()
    except ValueError as ex:
        t = ex.__traceback__
        lines = []
        while t:
            lines.append((t.tb_frame.f_code.co_name, t.tb_lineno))
            t = t.tb_next
        print(fn.__name__, lines)

# traceback module functions
try:
    middle(7)
except ValueError as ex:
    print("".join(traceback.format_tb(ex.__traceback__)), end="")
    for fs in traceback.extract_tb(ex.__traceback__):
        print(fs.filename, fs.lineno, fs.name, repr(fs.line))
    print("".join(traceback.format_exception(ex)), end="")
    print("".join(traceback.format_exception(type(ex), ex, ex.__traceback__)), end="")
    print("".join(traceback.format_exception_only(type(ex), ex)), end="")
    traceback.print_exception(ex, file=sys.stdout)
    traceback.print_tb(ex.__traceback__, file=sys.stdout)
    print(len(traceback.extract_tb(ex.__traceback__, limit=1)))

# an exception raised with a traceback attached keeps it, and the raise adds to it
try:
    try:
        middle(8)
    except ValueError as ex:
        saved = ex
    raise saved
except ValueError as ex:
    t = ex.__traceback__
    lines = []
    while t:
        lines.append((t.tb_frame.f_code.co_name, t.tb_lineno))
        t = t.tb_next
    print(lines)

# uncaught, with a chained context
def final():
    try:
        middle(9)
    except ValueError:
        raise KeyError("k")


final()
