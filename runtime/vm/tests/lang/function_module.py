# A function's __module__ is the globals' __name__ when the function object is made, read
# again for every MAKE_FUNCTION (vigil caches it per code object and globals version).


def make():
    return lambda: 0


def gens():
    return (x for x in range(2))


print(make().__module__, gens.__module__)
for name in ["first", "second", "second", 7, None]:
    __name__ = name
    print(repr(make().__module__), repr((lambda: 1).__module__), list(gens()))
globals()["__name__"] = "through_globals"
print(make().__module__)
del __name__
print(make().__module__, (lambda: 2).__module__)
__name__ = "back"
print(make().__module__)
# Other globals changing leaves it alone; a new value shows at once.
for i in range(3):
    other = i
    print(make().__module__, other)
    if i == 1:
        __name__ = "late"
print(make().__module__)


def inner_def():
    def g():
        pass
    return g.__module__


print(inner_def())
__name__ = "__main__"
print(inner_def(), make().__module__)
