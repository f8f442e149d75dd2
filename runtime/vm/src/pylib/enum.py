"""Enumerations: Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique (vigil's own).

Written for vigil on its metaclass support: it reproduces CPython 3.13's observable
behaviour for common use (members as class attributes, lookup by value and by name,
definition-order iteration, aliases, repr/str/format, auto and _generate_next_value_,
_missing_, _ignore_, custom __new__/__init__ for members, the functional API, flags with
their pseudo-members and boundaries, unique) but not its internals. The class body's
namespace is a plain dict (vigil runs class bodies on a dict), so auto() is resolved after
the body (expressions such as `RED | BLUE` of auto() values are deferred until then) and a
member name assigned twice in the body keeps its last value where CPython raises.
Pickling, _order_ checks, verify, member/nonmember, global_enum and EnumDict are absent."""

__all__ = [
    "EnumType", "EnumMeta", "Enum", "ReprEnum", "IntEnum", "StrEnum", "Flag", "IntFlag",
    "FlagBoundary", "STRICT", "CONFORM", "EJECT", "KEEP", "auto", "unique", "property",
]


class _Missing:
    def __repr__(self):
        return "_auto_null"


_MISSING = _Missing()


class auto:
    """Stands for the value `_generate_next_value_` picks once the class body has run."""

    def __init__(self, value=_MISSING):
        self.value = value

    def __repr__(self):
        return "auto(%r)" % (self.value,)

    # CPython resolves auto() as soon as the body assigns it, so `WHITE = RED | BLUE` sees
    # ints; here the body's namespace is a plain dict, so the expression waits until the
    # members before it have their values (see `_resolve`).
    def _combine(self, op, other, swap):
        return _AutoExpr(op, other, self) if swap else _AutoExpr(op, self, other)

    def __or__(self, other):
        return self._combine(_or, other, False)

    def __ror__(self, other):
        return self._combine(_or, other, True)

    def __and__(self, other):
        return self._combine(_and, other, False)

    def __rand__(self, other):
        return self._combine(_and, other, True)

    def __xor__(self, other):
        return self._combine(_xor, other, False)

    def __rxor__(self, other):
        return self._combine(_xor, other, True)

    def __add__(self, other):
        return self._combine(_add, other, False)

    def __radd__(self, other):
        return self._combine(_add, other, True)


def _or(a, b):
    return a | b


def _and(a, b):
    return a & b


def _xor(a, b):
    return a ^ b


def _add(a, b):
    return a + b


class _AutoExpr(auto):
    def __init__(self, op, left, right):
        super().__init__()
        self.op, self.left, self.right = op, left, right

    def _resolve(self):
        return self.op(_resolve(self.left), _resolve(self.right))


def _resolve(v):
    if isinstance(v, _AutoExpr):
        return v._resolve()
    if isinstance(v, auto):
        return v.value
    return v


_builtin_property = property


class property:
    """The `name`/`value` attribute of members: read-only, and not an attribute of the
    class itself."""

    def __init__(self, fget=None):
        self.fget = fget
        self.name = fget.__name__ if fget is not None else None
        self.owner_name = None

    def __set_name__(self, owner, name):
        self.name = name
        self.owner_name = owner.__name__

    def __get__(self, instance, ownerclass=None):
        if instance is None:
            raise AttributeError("%r has no attribute %r" % (ownerclass, self.name))
        return self.fget(instance)

    def __set__(self, instance, value):
        raise AttributeError(
            "<enum %r> cannot set attribute %r" % (self.owner_name, self.name))


def _is_dunder(name):
    return len(name) > 4 and name[:2] == name[-2:] == "__" and name[2] != "_" and name[-3] != "_"


def _is_sunder(name):
    return len(name) > 2 and name[0] == name[-1] == "_" and name[1] != "_" and name[-2] != "_"


def _is_private(cls_name, name):
    prefix = "_%s__" % cls_name.lstrip("_")
    return name.startswith(prefix) and not name.endswith("__")


def _is_descriptor(value):
    if isinstance(value, (classmethod, staticmethod, type(_is_dunder))):
        return True
    if isinstance(value, _builtin_property):
        return True
    t = type(value)
    return hasattr(t, "__get__") or hasattr(t, "__set__") or hasattr(t, "__delete__")


def _binary(num, max_bits):
    # CPython's enum-style binary: a sign bit, a space, then the digits padded with the
    # sign to max_bits (two's complement for negatives).
    width = num.bit_length()
    top = 1 << width
    if num >= 0:
        text = format(num + top, "b")
        text = "0" + text[1:]
    else:
        text = format((~num ^ (top - 1)) + top, "b")
    sign, digits = text[0], text[1:]
    if len(digits) < max_bits:
        digits = (sign * max_bits + digits)[-max_bits:]
    return "0b%s %s" % (sign, digits)


class EnumType(type):
    """The metaclass of every enumeration."""

    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        return {}

    def __new__(metacls, cls, bases, classdict, *, boundary=None, _simple=False, **kwds):
        ignore = classdict.get("_ignore_", [])
        if isinstance(ignore, str):
            ignore = ignore.replace(",", " ").split()
        member_type, first_enum = metacls._find_data_type_(cls, bases)
        for base in bases:
            if isinstance(base, EnumType) and base._member_names_:
                raise TypeError("<enum %r> cannot extend %r" % (cls, base))
        names = []
        values = {}
        body = {}
        for key, value in classdict.items():
            if key == "_ignore_" or key in ignore:
                continue
            if (_is_dunder(key) or _is_sunder(key) or _is_private(cls, key)
                    or _is_descriptor(value)):
                if _is_sunder(key) and key not in _SUNDER_OK and not key.startswith("_repr_"):
                    raise ValueError(
                        "_sunder_ names, such as %r, are reserved for future Enum use"
                        % (key,))
                body[key] = value
            else:
                names.append(key)
                values[key] = value
        # A __new__ in the body makes the members; the class's lookup is __call__'s.
        new_member = body.pop("__new__", None)
        if new_member is None and first_enum is not None:
            new_member = _find_new_member(first_enum)
        body["_new_member_"] = new_member
        body["_member_names_"] = []
        body["_member_map_"] = {}
        body["_value2member_map_"] = {}
        body["_member_type_"] = member_type
        enum_class = super().__new__(metacls, cls, bases, body, **kwds)
        # The mixed-in type's repr/str/format would hide Enum's: put Enum's back, except
        # for ReprEnum's str/format (the value's).
        if first_enum is not None and member_type is not object:
            for name in ("__repr__", "__str__", "__format__"):
                if name in body:
                    continue
                found = getattr(enum_class, name)
                if found is getattr(member_type, name, None) or found is getattr(object, name):
                    type.__setattr__(enum_class, name, getattr(first_enum, name))
            if ReprEnum is not None and ReprEnum in bases:
                for name in ("__str__", "__format__"):
                    if name not in body:
                        type.__setattr__(enum_class, name, ReprEnum.__dict__[name])
        is_flag = Flag is not None and issubclass(enum_class, Flag)
        if is_flag:
            if boundary is None:
                boundary = getattr(first_enum, "_boundary_", None) or STRICT
            type.__setattr__(enum_class, "_boundary_", boundary)
            type.__setattr__(enum_class, "_flag_mask_", 0)
            type.__setattr__(enum_class, "_singles_mask_", 0)
        generate = enum_class._generate_next_value_
        last_values = []
        for i, name in enumerate(names):
            value = values[name]
            if isinstance(value, _AutoExpr):
                value.value = value._resolve()
                value = value.value
            elif isinstance(value, auto):
                if value.value is _MISSING:
                    value.value = generate(name, 1, i, last_values[:])
                value = value.value
            elif isinstance(value, tuple) and any(isinstance(v, auto) for v in value):
                parts = []
                for v in value:
                    if isinstance(v, auto):
                        if v.value is _MISSING:
                            v.value = generate(name, 1, i, last_values[:])
                        v = v.value
                    parts.append(v)
                value = tuple(parts)
            last_values.append(value)
            enum_class._add_member_(name, value)
        if is_flag:
            mask = enum_class._flag_mask_
            type.__setattr__(enum_class, "_all_bits_", 2 ** mask.bit_length() - 1)
        return enum_class

    @staticmethod
    def _find_data_type_(cls_name, bases):
        if not bases:
            return object, None
        first_enum = bases[-1]
        if not isinstance(first_enum, EnumType):
            raise TypeError("new enumerations should be created as "
                            "`EnumName([mixin_type, ...] [data_type,] enum_type)`")
        data_type = object
        for chain in bases:
            for base in chain.__mro__:
                if base is object:
                    continue
                if isinstance(base, EnumType):
                    if base._member_type_ is not object:
                        data_type = base._member_type_
                        break
                    continue
                data_type = base
                break
            if data_type is not object:
                break
        return data_type, first_enum

    def _add_member_(cls, name, value):
        member_type = cls._member_type_
        args = value if isinstance(value, tuple) else (value,)
        if member_type is tuple:
            args = (args,)
        new_member = cls._new_member_
        if new_member is not None:
            member = new_member(cls, *args)
        elif member_type is object:
            member = object.__new__(cls)
        else:
            member = member_type.__new__(cls, *args)
        if "_value_" not in _instance_dict(member):
            if member_type is object or new_member is not None:
                member._value_ = value
            else:
                member._value_ = member_type(*args)
        value = member._value_
        member._name_ = name
        member.__objclass__ = cls
        member._sort_order_ = len(cls._member_names_)
        init = getattr(cls, "__init__")
        if init is not Enum.__init__:
            member.__init__(*args)
        is_flag = Flag is not None and issubclass(cls, Flag)
        canonical = None
        for existing in cls._member_map_.values():
            if existing._value_ == value:
                canonical = existing
                break
        if canonical is not None:
            member = canonical
        elif is_flag:
            if isinstance(value, int):
                type.__setattr__(cls, "_flag_mask_", cls._flag_mask_ | value)
                if value > 0 and value & (value - 1) == 0:
                    type.__setattr__(cls, "_singles_mask_", cls._singles_mask_ | value)
                    cls._member_names_.append(name)
        else:
            cls._member_names_.append(name)
        cls._member_map_[name] = member
        try:
            cls._value2member_map_.setdefault(value, member)
        except TypeError:
            pass
        type.__setattr__(cls, name, member)

    def __call__(cls, value, names=_MISSING, *values, module=None, qualname=None,
                 type=None, start=1, boundary=None):
        if names is _MISSING:
            return cls._lookup_(value)
        return cls._create_(value, names, module=module, qualname=qualname, type=type,
                            start=start, boundary=boundary)

    def _lookup_(cls, value):
        if isinstance(value, cls) and builtin_type(value) is cls:
            return value
        try:
            return cls._value2member_map_[value]
        except KeyError:
            pass
        except TypeError:
            for member in cls._member_map_.values():
                if member._value_ == value:
                    return member
        exc = None
        try:
            result = cls._missing_(value)
        except Exception as e:
            exc = e
            result = None
        if isinstance(result, cls):
            return result
        if (Flag is not None and issubclass(cls, Flag) and cls._boundary_ is EJECT
                and isinstance(result, int)):
            return result
        ve_exc = ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        if result is None and exc is None:
            raise ve_exc
        if exc is None:
            exc = TypeError(
                "error in %s._missing_: returned %r instead of None or a valid member"
                % (cls.__name__, result))
        if not isinstance(exc, ValueError):
            exc.__context__ = ve_exc
        raise exc

    def _create_(cls, class_name, names, *, module=None, qualname=None, type=None,
                 start=1, boundary=None):
        metacls = cls.__class__
        bases = (cls,) if type is None else (type, cls)
        generate = cls._generate_next_value_
        classdict = {}
        if isinstance(names, str):
            names = names.replace(",", " ").split()
        if isinstance(names, (tuple, list)) and names and isinstance(names[0], str):
            original, names, last_values = names, [], []
            for count, name in enumerate(original):
                value = generate(name, start, count, last_values[:])
                last_values.append(value)
                names.append((name, value))
        if names is None:
            names = ()
        items = names.items() if isinstance(names, dict) else names
        for item in items:
            if isinstance(item, str):
                name, value = item, names[item]
            else:
                name, value = item
            classdict[name] = value
        classdict["__module__"] = module if module is not None else "__main__"
        if qualname is not None:
            classdict["__qualname__"] = qualname
        return metacls.__new__(metacls, class_name, bases, classdict, boundary=boundary)

    def __contains__(cls, value):
        if isinstance(value, cls):
            return True
        try:
            return value in cls._value2member_map_
        except TypeError:
            return any(m._value_ == value for m in cls._member_map_.values())

    def __delattr__(cls, attr):
        if attr in cls._member_map_:
            raise AttributeError("%r cannot delete member %r." % (cls.__name__, attr))
        super().__delattr__(attr)

    def __setattr__(cls, name, value):
        member_map = cls.__dict__.get("_member_map_", {})
        if name in member_map:
            raise AttributeError("cannot reassign member %r" % (name,))
        super().__setattr__(name, value)

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    def __bool__(cls):
        return True

    @_builtin_property
    def __members__(cls):
        return mappingproxy(cls._member_map_)

    def __repr__(cls):
        if Flag is not None and issubclass(cls, Flag):
            return "<flag %r>" % (cls.__name__,)
        return "<enum %r>" % (cls.__name__,)


EnumMeta = EnumType


class mappingproxy:
    """A read-only view of a dict (what `__members__` returns)."""

    def __init__(self, mapping):
        self._mapping = dict(mapping)

    def __getitem__(self, key):
        return self._mapping[key]

    def __iter__(self):
        return iter(self._mapping)

    def __len__(self):
        return len(self._mapping)

    def __contains__(self, key):
        return key in self._mapping

    def keys(self):
        return self._mapping.keys()

    def values(self):
        return self._mapping.values()

    def items(self):
        return self._mapping.items()

    def get(self, key, default=None):
        return self._mapping.get(key, default)

    def copy(self):
        return dict(self._mapping)

    def __eq__(self, other):
        if isinstance(other, mappingproxy):
            other = other._mapping
        return self._mapping == other

    def __repr__(self):
        return "mappingproxy(%r)" % (self._mapping,)

    def __str__(self):
        return str(self._mapping)


def _instance_dict(obj):
    try:
        return obj.__dict__
    except AttributeError:
        return {}


def _find_new_member(enum_class):
    for base in enum_class.__mro__:
        if "_new_member_" in base.__dict__:
            return base.__dict__["_new_member_"]
    return None


builtin_type = type
Flag = None
ReprEnum = None

_SUNDER_OK = {
    "_generate_next_value_", "_missing_", "_numeric_repr_", "_order_", "_ignore_",
    "_iter_member_", "_iter_member_by_value_", "_iter_member_by_def_", "_add_alias_",
    "_add_value_alias_",
}


class Enum(metaclass=EnumType):
    """Generic enumeration: subclass it and give members as class attributes."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not last_values:
            return start
        try:
            last_value = sorted(last_values).pop()
        except TypeError:
            raise TypeError("unable to sort non-numeric values") from None
        try:
            return last_value + 1
        except TypeError:
            raise TypeError("unable to increment %r" % (last_value,)) from None

    @classmethod
    def _missing_(cls, value):
        return None

    def __init__(self, *args, **kwds):
        pass

    def __repr__(self):
        return "<%s.%s: %r>" % (self.__class__.__name__, self._name_, self._value_)

    def __str__(self):
        return "%s.%s" % (self.__class__.__name__, self._name_)

    def __format__(self, format_spec):
        return format(str(self), format_spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_


class ReprEnum(Enum):
    """Only the repr is Enum's: str() and format() are the value's."""

    def __str__(self):
        return str(self._value_)

    def __format__(self, format_spec):
        return format(self._value_, format_spec)


class IntEnum(int, ReprEnum):
    """Enum whose members are also ints."""


class StrEnum(str, ReprEnum):
    """Enum whose members are also strs."""

    def __new__(cls, *values):
        if len(values) > 3:
            raise TypeError("too many arguments for str(): %r" % (values,))
        if len(values) == 1 and not isinstance(values[0], str):
            raise TypeError("%r is not a string" % (values[0],))
        value = str(*values)
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()


class FlagBoundary(StrEnum):
    STRICT = auto()
    CONFORM = auto()
    EJECT = auto()
    KEEP = auto()


STRICT, CONFORM, EJECT, KEEP = FlagBoundary


class Flag(Enum, boundary=STRICT):
    """Members combine with the bitwise operators."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not count:
            return start if start is not None else 1
        last_value = max(last_values)
        try:
            high_bit = last_value.bit_length() - 1
        except Exception:
            raise TypeError("invalid flag value %r" % (last_value,)) from None
        return 2 ** (high_bit + 1)

    @classmethod
    def _iter_bits(cls, value):
        for name in cls._member_names_:
            member = cls._member_map_[name]
            if member._value_ & value == member._value_ and member._value_:
                yield member

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, int):
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        flag_mask = cls._flag_mask_
        all_bits = cls._all_bits_
        if value < 0:
            value = all_bits + 1 + value
        unknown = value & ~flag_mask
        boundary = cls._boundary_
        if unknown and boundary is STRICT:
            max_bits = max(value.bit_length(), flag_mask.bit_length())
            raise ValueError("%r invalid value %r\n    given %s\n  allowed %s" % (
                cls, value, _binary(value, max_bits), _binary(flag_mask, max_bits)))
        if unknown and boundary is CONFORM:
            value &= flag_mask
            unknown = 0
        if unknown and boundary is EJECT:
            return value
        known = value & flag_mask
        if value in cls._value2member_map_:
            return cls._value2member_map_[value]
        if cls._member_type_ is object:
            pseudo = object.__new__(cls)
        else:
            pseudo = cls._member_type_.__new__(cls, value)
        pseudo._value_ = value
        if value == 0 and not unknown:
            pseudo._name_ = None
        else:
            names = [m._name_ for m in cls._iter_bits(known)]
            if unknown:
                names.append(str(unknown))
            pseudo._name_ = "|".join(names)
        pseudo.__objclass__ = cls
        cls._value2member_map_.setdefault(value, pseudo)
        return pseudo

    def __repr__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return "<%s: %r>" % (cls_name, self._value_)
        return "<%s.%s: %r>" % (cls_name, self._name_, self._value_)

    def __str__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return "%s(%r)" % (cls_name, self._value_)
        return "%s.%s" % (cls_name, self._name_)

    def __bool__(self):
        return bool(self._value_)

    def __len__(self):
        return self._value_.bit_count()

    def __iter__(self):
        yield from self.__class__._iter_bits(self._value_)

    def __contains__(self, other):
        if not isinstance(other, self.__class__):
            raise TypeError(
                "unsupported operand type(s) for 'in': %r and %r"
                % (builtin_type(other).__qualname__, self.__class__.__qualname__))
        return other._value_ & self._value_ == other._value_

    def _operand(self, other):
        if isinstance(other, self.__class__):
            return other._value_
        if self._member_type_ is not object and isinstance(other, self._member_type_):
            return other
        return NotImplemented

    def __or__(self, other):
        other = self._operand(other)
        if other is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ | other)

    def __and__(self, other):
        other = self._operand(other)
        if other is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ & other)

    def __xor__(self, other):
        other = self._operand(other)
        if other is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ ^ other)

    def __invert__(self):
        if self._boundary_ in (EJECT, KEEP):
            return self.__class__(~self._value_)
        return self.__class__(self._flag_mask_ ^ self._value_)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__


class IntFlag(int, ReprEnum, Flag, boundary=KEEP):
    """Flag whose members are also ints."""

    __or__ = Flag.__or__
    __and__ = Flag.__and__
    __xor__ = Flag.__xor__
    __ror__ = Flag.__ror__
    __rand__ = Flag.__rand__
    __rxor__ = Flag.__rxor__
    __invert__ = Flag.__invert__


def unique(enumeration):
    """Class decorator: refuses aliases."""
    duplicates = []
    for name, member in enumeration.__members__.items():
        if name != member.name:
            duplicates.append((name, member.name))
    if duplicates:
        details = ", ".join("%s -> %s" % (alias, name) for alias, name in duplicates)
        raise ValueError("duplicate values found in %r: %s" % (enumeration, details))
    return enumeration
