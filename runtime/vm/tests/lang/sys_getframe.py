# sys._getframe: the running frames by depth, their code, line, locals and f_back chain.
import sys


def where():
    f = sys._getframe(1)
    return f.f_code.co_name, f.f_lineno


def outer():
    a = 1
    me = sys._getframe()
    print(me.f_code.co_name, me.f_lineno, me.f_locals["a"])
    a = 2
    print(me.f_locals["a"], me is sys._getframe(0), me is sys._getframe(-3))
    print(where())
    return inner(me)


def inner(caller):
    f = sys._getframe()
    print(f.f_back is caller, sys._getframe(1) is caller)
    names = []
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    print(names)
    return sys._getframe(2).f_code.co_name


print(outer())
top = sys._getframe()
print(top.f_code.co_name, top.f_back, top.f_globals is globals())
try:
    sys._getframe(50)
except ValueError as e:
    print("ValueError", e)
try:
    sys._getframe("x")
except TypeError as e:
    print("TypeError", e)


def gen():
    yield sys._getframe().f_code.co_name
    yield sys._getframe(1).f_code.co_name


print(list(gen()))


class C:
    name = sys._getframe().f_code.co_name


print(C.name)
