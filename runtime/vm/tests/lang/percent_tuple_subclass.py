# `%` formatting takes its arguments from a tuple subclass (as a namedtuple), and such a
# tuple is not a mapping for `%(name)s`; a dict subclass is.
class T(tuple):
    pass


class D(dict):
    pass


print("%s-%s" % T((1, 2)), "%d%%" % T((5,)), "%r" % (T((1,)),), "%(a)s" % D(a=1))
for fmt, arg in (("%s %s", T((1,))), ("%(a)s", T((1,))), ("%s", T((1, 2)))):
    try:
        print(fmt % arg)
    except TypeError as e:
        print("TypeError", e)
