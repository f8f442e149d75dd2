"""Abstract base classes: ABCMeta, ABC, abstractmethod and virtual subclasses (register).

vigil's own implementation. Instantiating a class whose __abstractmethods__ is not empty is
refused by the VM itself (object.__new__ and type.__call__ check it, as CPython does)."""


def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj


# Deprecated since 3.3; functions here (vigil cannot subclass classmethod/staticmethod).
def abstractclassmethod(callable):
    callable.__isabstractmethod__ = True
    return classmethod(callable)


def abstractstaticmethod(callable):
    callable.__isabstractmethod__ = True
    return staticmethod(callable)


def _is_abstract(value):
    # Properties, classmethods and staticmethods are abstract through what they wrap.
    if isinstance(value, property):
        return any(_is_abstract(f) for f in (value.fget, value.fset, value.fdel) if f is not None)
    if isinstance(value, (classmethod, staticmethod)):
        return _is_abstract(value.__func__)
    return getattr(value, "__isabstractmethod__", False) is True


def _abstract_names(cls):
    names = set()
    for name, value in cls.__dict__.items():
        if _is_abstract(value):
            names.add(name)
    for base in cls.__bases__:
        for name in getattr(base, "__abstractmethods__", ()):
            if _is_abstract(getattr(cls, name, None)):
                names.add(name)
    return frozenset(names)


def update_abstractmethods(cls):
    if hasattr(cls, "__abstractmethods__"):
        cls.__abstractmethods__ = _abstract_names(cls)
    return cls


# Virtual subclasses, by the ABC they were registered on (CPython keeps them in weak sets;
# vigil has no cycle collector, so classes live as long as the program anyway).
_registry = {}


class ABCMeta(type):
    def __new__(mcls, name, bases, namespace, /, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        cls.__abstractmethods__ = _abstract_names(cls)
        return cls

    def register(cls, subclass):
        if not isinstance(subclass, type):
            raise TypeError("Can only register classes")
        if issubclass(subclass, cls):
            return subclass
        if issubclass(cls, subclass):
            raise RuntimeError("Refusing to create an inheritance cycle")
        _registry.setdefault(cls, []).append(subclass)
        return subclass

    def __instancecheck__(cls, instance):
        subclass = instance.__class__
        if cls.__subclasscheck__(subclass):
            return True
        subtype = type(instance)
        if subtype is not subclass:
            return cls.__subclasscheck__(subtype)
        return False

    def __subclasscheck__(cls, subclass):
        if not isinstance(subclass, type):
            raise TypeError("issubclass() arg 1 must be a class")
        hook = getattr(cls, "__subclasshook__", None)
        if hook is not None:
            ok = hook(subclass)
            if ok is not NotImplemented:
                return bool(ok)
        if cls in subclass.__mro__:
            return True
        for registered in _registry.get(cls, ()):
            if issubclass(subclass, registered):
                return True
        for sub in type.__subclasses__(cls):
            if issubclass(subclass, sub):
                return True
        return False

    def _dump_registry(cls, file=None):
        print(f"Class: {cls.__module__}.{cls.__qualname__}", file=file)


class ABC(metaclass=ABCMeta):
    __slots__ = ()


def get_cache_token():
    return 0
