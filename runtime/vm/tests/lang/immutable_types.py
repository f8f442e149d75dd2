# Builtin types refuse attribute assignment and deletion (CPython's static types); classes
# the program defines, including exception subclasses, accept both.
import random


def attempt(what, fn):
    try:
        fn()
        print(what, "ok")
    except TypeError as e:
        print(what, "TypeError:", e)
    except AttributeError as e:
        print(what, "AttributeError:", e)


def set_on(cls, name, value):
    def go():
        setattr(cls, name, value)
    return go


def del_on(cls, name):
    def go():
        delattr(cls, name)
    return go


for cls in (str, int, float, list, dict, tuple, set, frozenset, bytes, bool, object,
            type, range, ValueError, BaseException, KeyError):
    attempt(cls.__name__ + " set", set_on(cls, "extra", 1))
    attempt(cls.__name__ + " set existing", set_on(cls, "__repr__", None))
attempt("del list.append", del_on(list, "append"))
attempt("del str.missing", del_on(str, "missing"))


def assign_stmt():
    str.count = 5


attempt("str.count = 5", assign_stmt)
print("count still works:", "banana".count("a"))


class User:
    pass


class MyError(ValueError):
    pass


attempt("User set", set_on(User, "x", 1))
print(User.x)
attempt("User del", del_on(User, "x"))
attempt("User del again", del_on(User, "x"))
attempt("MyError set", set_on(MyError, "code", 7))
print(MyError.code, MyError("m").code)
attempt("MyError del", del_on(MyError, "code"))
Dyn = type("Dyn", (object,), {})
attempt("type() class set", set_on(Dyn, "y", 2))
print(Dyn.y)
attempt("random.Random set", set_on(random.Random, "tag", "r"))
print(random.Random.tag)
