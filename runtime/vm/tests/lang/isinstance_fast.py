# isinstance(instance, class) answered without the general path: subclasses, unrelated and
# base classes, object, exceptions, and the general path's cases next to it (tuples, builtin
# values, bool and int, keywords and bad arguments).
class A: pass
class B(A): pass
class C: pass
class D(B, C): pass
a, b, d = A(), B(), D()
print(isinstance(a, A), isinstance(b, A), isinstance(a, B), isinstance(d, C), isinstance(d, A))
print(isinstance(a, object), isinstance(a, C), isinstance(d, D), isinstance(b, D))
e = ValueError("x")
print(isinstance(e, Exception), isinstance(e, ValueError), isinstance(e, KeyError))
class MyErr(KeyError): pass
m = MyErr()
print(isinstance(m, LookupError), isinstance(m, MyErr), isinstance(m, A))
print(isinstance(d, (C, int)), isinstance(1, int), isinstance(True, int), isinstance(a, type))
print(isinstance(A, type), isinstance(A, A), isinstance(None, A))
for bad in (lambda: isinstance(a, a), lambda: isinstance(a), lambda: isinstance(a, A, B),
            lambda: isinstance(a, A, x=1)):
    try:
        bad()
    except TypeError as exc:
        print("TypeError", exc)
