def handle(x):
    try:
        r = 10 // x
    except ZeroDivisionError as e:
        r = str(e)
    except (TypeError, ValueError):
        r = "bad"
    else:
        r = r + 1
    finally:
        print("finally")
    return r


def reraise():
    try:
        raise ValueError("v")
    except ValueError:
        raise


def chain():
    try:
        reraise()
    except ValueError as e:
        raise KeyError("k") from e


def finally_return():
    for i in range(3):
        try:
            if i == 1:
                return i
        finally:
            print("cleanup", i)


def bare():
    try:
        1 / 0
    except:
        return "caught"


def in_loop(items):
    n = 0
    for it in items:
        try:
            n += int(it)
        except ValueError:
            continue
        finally:
            n += 1
    return n


class Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return True


def with_stmt():
    with Ctx() as c, Ctx():
        raise RuntimeError("x")
    with Ctx():
        return 5


assert handle(2) == 6, "msg"
print(handle(0), handle("a"), finally_return(), bare(), in_loop(["1", "x", "2"]), with_stmt())
try:
    chain()
except KeyError as e:
    print(repr(e), repr(e.__cause__))
