# The builtins module: reading it, and rebinding a name in it (seen by name lookup).
import builtins
print(builtins.__name__, builtins.len is len, builtins.len([1, 2]), builtins.max(3, 4))
print(getattr(builtins, "True"), getattr(builtins, "None"), builtins.int is int, builtins.ValueError is ValueError)
print(builtins.sorted("cba"), hasattr(builtins, "print"), hasattr(builtins, "nosuch"))
print(getattr(builtins, "abs")(-3), "len" in dir(builtins))
try:
    builtins.nosuch
except AttributeError as e:
    print("AttributeError:", e)


def shout(*args, **kw):
    real_print(*[str(a).upper() for a in args], **kw)


real_print = builtins.print
builtins.print = shout
print("hello", "world")
builtins.print = real_print
print("hello again")

# A new builtin name is found by every module's lookups; a global of the same name wins.
builtins.answer = 42


def f():
    return answer


print(f())
answer = 7
print(f())
del answer
print(f())
del builtins.answer
try:
    f()
except NameError as e:
    print("NameError:", e)

import builtins as b2
print(b2 is builtins)
