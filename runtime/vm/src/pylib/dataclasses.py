# vigil's dataclasses, written in Python on top of the VM: @dataclass (init, repr, eq,
# order, frozen), field(default=..., default_factory=...), fields(), asdict(), astuple(),
# replace(). Generated methods are closures rather than exec'd source.

MISSING = object()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    def __init__(self, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self):
        return "Field(name=%r,type=%r,default=%r)" % (self.name, self.type, self.default)


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare)


def fields(obj):
    return tuple(obj.__dataclass_fields__.values())


def _process(cls, init, repr_, eq, order, frozen):
    annotations = cls.__dict__.get("__annotations__", {})
    flds = {}
    for base in reversed(cls.__mro__[1:]):
        bf = base.__dict__.get("__dataclass_fields__")
        if bf:
            for f in bf.values():
                flds[f.name] = f
    for name, typ in annotations.items():
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = Field(default=default)
        f.name = name
        f.type = typ
        if isinstance(f.default, (list, dict, set)):
            raise ValueError("mutable default %s for field %s is not allowed: use default_factory" % (type(f.default), name))
        flds[name] = f
        if f.default is not MISSING:
            setattr(cls, name, f.default)
        elif name in cls.__dict__:
            delattr(cls, name)
    cls.__dataclass_fields__ = flds
    field_list = list(flds.values())
    init_fields = [f for f in field_list if f.init]
    seen_default = False
    for f in init_fields:
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError("non-default argument '%s' follows default argument" % f.name)
        seen_default = seen_default or has_default

    if init and "__init__" not in cls.__dict__:
        def __init__(self, *args, **kwargs):
            if len(args) > len(init_fields):
                raise TypeError("%s.__init__() takes %d positional arguments but %d were given" % (cls.__qualname__, len(init_fields) + 1, len(args) + 1))
            values = {}
            for f, v in zip(init_fields, args):
                values[f.name] = v
            for k, v in kwargs.items():
                if k in values:
                    raise TypeError("%s.__init__() got multiple values for argument '%s'" % (cls.__qualname__, k))
                if k not in flds or not flds[k].init:
                    raise TypeError("%s.__init__() got an unexpected keyword argument '%s'" % (cls.__qualname__, k))
                values[k] = v
            missing = []
            for f in field_list:
                if f.name in values:
                    continue
                if f.default is not MISSING:
                    values[f.name] = f.default
                elif f.default_factory is not MISSING:
                    values[f.name] = f.default_factory()
                elif f.init:
                    missing.append(f.name)
            if missing:
                raise TypeError("%s.__init__() missing %d required positional argument%s: %s" % (
                    cls.__qualname__, len(missing), "" if len(missing) == 1 else "s",
                    " and ".join("'%s'" % m for m in missing)))
            for f in field_list:
                if f.name in values:
                    object.__setattr__(self, f.name, values[f.name])
            post = getattr(self, "__post_init__", None)
            if post is not None:
                post()
        __init__.__qualname__ = cls.__qualname__ + ".__init__"
        cls.__init__ = __init__

    if repr_ and "__repr__" not in cls.__dict__:
        def __repr__(self):
            return "%s(%s)" % (type(self).__qualname__, ", ".join(
                "%s=%r" % (f.name, getattr(self, f.name)) for f in field_list if f.repr))
        cls.__repr__ = __repr__

    def _key(self):
        return tuple(getattr(self, f.name) for f in field_list if f.compare)

    if eq and "__eq__" not in cls.__dict__:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return _key(self) == _key(other)
            return NotImplemented
        cls.__eq__ = __eq__
        if not frozen:
            cls.__hash__ = None

    if order:
        def __lt__(self, other):
            if other.__class__ is self.__class__:
                return _key(self) < _key(other)
            return NotImplemented
        def __le__(self, other):
            if other.__class__ is self.__class__:
                return _key(self) <= _key(other)
            return NotImplemented
        def __gt__(self, other):
            if other.__class__ is self.__class__:
                return _key(self) > _key(other)
            return NotImplemented
        def __ge__(self, other):
            if other.__class__ is self.__class__:
                return _key(self) >= _key(other)
            return NotImplemented
        cls.__lt__, cls.__le__, cls.__gt__, cls.__ge__ = __lt__, __le__, __gt__, __ge__

    if frozen:
        def __setattr__(self, name, value):
            raise FrozenInstanceError("cannot assign to field '%s'" % name)
        def __delattr__(self, name):
            raise FrozenInstanceError("cannot delete field '%s'" % name)
        def __hash__(self):
            return hash(_key(self))
        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__
        cls.__hash__ = __hash__
    return cls


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False):
    def wrap(c):
        return _process(c, init, repr, eq, order, frozen)
    if cls is None:
        return wrap
    return wrap(cls)


def is_dataclass(obj):
    return hasattr(obj, "__dataclass_fields__")


def asdict(obj):
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: asdict(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, list):
        return [asdict(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(asdict(x) for x in obj)
    if isinstance(obj, dict):
        return {asdict(k): asdict(v) for k, v in obj.items()}
    return obj


def astuple(obj):
    return tuple(asdict(getattr(obj, f.name)) if False else getattr(obj, f.name) for f in fields(obj))


def replace(obj, **changes):
    values = {f.name: getattr(obj, f.name) for f in fields(obj) if f.init}
    values.update(changes)
    return obj.__class__(**values)
