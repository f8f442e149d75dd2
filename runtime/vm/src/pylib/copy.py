# vigil's copy: shallow and deep copies of builtin containers and plain instances.

class Error(Exception):
    pass


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
    if hasattr(x, "__dict__"):
        new = object.__new__(cls)
        memo[key] = new
        for k, v in x.__dict__.items():
            setattr(new, k, deepcopy(v, memo))
        return new
    return x
