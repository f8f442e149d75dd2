# vigil's copy: shallow and deep copies of builtin containers and plain instances.

class Error(Exception):
    pass


_BASES = (dict, list, set, str, int, float, tuple)


def _builtin_base(cls):
    for b in _BASES:
        if issubclass(cls, b):
            return b
    return None


def _raw(x, base):
    """The builtin value a subclass instance stands on, without its overrides."""
    if base is int:
        return int.__index__(x)
    if base is float:
        return float.__float__(x)
    return base.__getitem__(x, slice(None))


def _copy_sub(x, cls, base, memo):
    """A copy of an instance of a subclass of a builtin type, as CPython's reduce protocol
    rebuilds one: the class's __new__ (with the value, for immutable types; set subclasses
    through the class), then the instance attributes, then the items (through the
    subclass's append/__setitem__). `memo` is None for a shallow copy."""
    cp = (lambda v: v) if memo is None else (lambda v: deepcopy(v, memo))
    if base is set:
        y = cls([cp(v) for v in x])
    elif base in (dict, list):
        y = cls.__new__(cls)
    else:
        y = cls.__new__(cls, _raw(x, base))
    if memo is not None:
        memo[id(x)] = y
    for k, v in x.__dict__.items():
        setattr(y, k, cp(v))
    if base is list:
        for v in list.__iter__(x):
            y.append(cp(v))
    elif base is dict:
        for k, v in dict.items(x):
            y[cp(k)] = cp(v)
    return y


def copy(x):
    cls = type(x)
    if cls in (int, float, bool, str, bytes, tuple, frozenset, type(None), range):
        return x
    if cls is list:
        return list(x)
    if cls is dict:
        return dict(x)
    if cls is set:
        return set(x)
    if cls is bytearray:
        return bytearray(x)
    if hasattr(x, "__copy__"):
        return x.__copy__()
    base = _builtin_base(cls)
    if base is not None:
        return _copy_sub(x, cls, base, None)
    if hasattr(x, "__dict__") and not isinstance(x, type):
        new = object.__new__(cls)
        for k, v in x.__dict__.items():
            setattr(new, k, v)
        return new
    return x


def deepcopy(x, memo=None):
    if memo is None:
        memo = {}
    key = id(x)
    if key in memo:
        return memo[key]
    cls = type(x)
    if cls in (int, float, bool, str, bytes, type(None), range) or isinstance(x, type):
        return x
    if cls is list:
        y = []
        memo[key] = y
        for v in x:
            y.append(deepcopy(v, memo))
        return y
    if cls is tuple:
        y = tuple(deepcopy(v, memo) for v in x)
        memo[key] = y
        return y
    if cls is dict:
        y = {}
        memo[key] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
        return y
    if cls is set:
        y = {deepcopy(v, memo) for v in x}
        memo[key] = y
        return y
    if hasattr(x, "__deepcopy__"):
        return x.__deepcopy__(memo)
    base = _builtin_base(cls)
    if base is not None:
        return _copy_sub(x, cls, base, memo)
    if hasattr(x, "__dict__"):
        new = object.__new__(cls)
        memo[key] = new
        for k, v in x.__dict__.items():
            setattr(new, k, deepcopy(v, memo))
        return new
    return x
