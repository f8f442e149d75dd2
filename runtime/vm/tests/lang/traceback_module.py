import sys
import traceback


def gen():
    yield 1
    raise KeyError("g")


def use_gen():
    for x in gen():
        pass


try:
    use_gen()
except KeyError as e:
    names = []
    t = e.__traceback__
    while t:
        names.append((t.tb_frame.f_code.co_name, t.tb_lineno, t.tb_frame.f_lineno))
        t = t.tb_next
    print(names)
    print(traceback.format_exc(), end="")
    traceback.print_exc(file=sys.stdout)
    f = e.__traceback__.tb_frame
    print(f.f_back, f.f_locals is globals(), f.f_code.co_name)
    print(sys.exc_info()[2] is e.__traceback__)

print(sys.exc_info())


def rec(n):
    if n == 0:
        raise RuntimeError("deep")
    return rec(n - 1)


try:
    rec(10)
except RuntimeError as e:
    parts = traceback.format_tb(e.__traceback__)
    print(len(parts))
    print("".join(parts), end="")
    print(len(traceback.extract_tb(e.__traceback__)))
    print("".join(traceback.format_tb(e.__traceback__, limit=2)), end="")
    print("".join(traceback.format_tb(e.__traceback__, limit=-2)), end="")
    print([fs.name for fs in traceback.extract_tb(e.__traceback__, limit=-3)])


def handler_locals():
    a = 1
    try:
        raise ValueError("v")
    except ValueError as e:
        b = 2
        print(sorted(e.__traceback__.tb_frame.f_locals), e.__traceback__.tb_frame.f_lineno)


handler_locals()

try:
    ValueError().with_traceback(5)
except TypeError as e:
    print(e)

old = None
try:
    try:
        raise ValueError("a")
    except ValueError as e:
        old = e.__traceback__
        raise
except ValueError as e:
    print(e.__traceback__ is old, e.__traceback__.tb_next is None)

try:
    try:
        raise ValueError("b")
    except ValueError as e:
        old = e.__traceback__
        raise e
except ValueError as e:
    print(e.__traceback__ is old, e.__traceback__.tb_next is old)


class Ctx:
    def __exit__(self, *a):
        print(type(a[2]).__name__, a[2].tb_frame.f_code.co_name)
        return False

    def __enter__(self):
        return self


def in_with():
    with Ctx():
        {}["missing"]


try:
    in_with()
except KeyError as e:
    for fs in traceback.extract_tb(e.__traceback__):
        print(fs)
        filename, lineno, name, line = fs
        print(lineno, name, line, fs == (filename, lineno, name, line))
    print(traceback.format_exception_only(e))
    print(traceback.format_exception_only(type(e), e))
    print(list(traceback.walk_tb(e.__traceback__))[0][1])
    print(traceback.format_list(traceback.extract_tb(e.__traceback__)))
    e.add_note("a note")
    print(traceback.format_exception_only(e))

print([type(x).__name__ for x in (sys.exc_info())])


def chained():
    try:
        try:
            raise KeyError("inner")
        except KeyError as e:
            raise ValueError("mid") from e
    except ValueError:
        raise TypeError("outer")


try:
    chained()
except TypeError as e:
    lines = traceback.format_exception(e)
    print(len(lines))
    print("".join(lines), end="")
    print("".join(traceback.format_exception(e, chain=False)), end="")
    print("".join(traceback.format_exception(e, limit=1)), end="")
    print("".join(traceback.format_exception(type(e), e, None)), end="")
    traceback.print_exception(e, file=sys.stdout, limit=-1)
