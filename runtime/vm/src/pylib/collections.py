# vigil's collections, written in Python on top of the VM. The mapping types wrap a dict
# (written before vigil supported subclassing dict), so isinstance(x, dict) is False for
# them; namedtuple classes are tuple subclasses. ChainMap's keys()/items()/values() are lists rather than views.

from collections import abc


class deque:
    def __init__(self, iterable=(), maxlen=None):
        self._items = []
        self.maxlen = maxlen
        for x in iterable:
            self.append(x)

    def append(self, x):
        self._items.append(x)
        if self.maxlen is not None and len(self._items) > self.maxlen:
            del self._items[0]

    def appendleft(self, x):
        self._items.insert(0, x)
        if self.maxlen is not None and len(self._items) > self.maxlen:
            self._items.pop()

    def pop(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop()

    def popleft(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop(0)

    def extend(self, iterable):
        for x in iterable:
            self.append(x)

    def extendleft(self, iterable):
        for x in iterable:
            self.appendleft(x)

    def rotate(self, n=1):
        if self._items:
            n %= len(self._items)
            self._items[:] = self._items[-n:] + self._items[:-n]

    def clear(self):
        self._items.clear()

    def count(self, x):
        return self._items.count(x)

    def remove(self, x):
        for i, y in enumerate(self._items):
            if y is x or y == x:
                del self._items[i]
                return
        raise ValueError("%r is not in deque" % (x,))

    def index(self, x, start=0, stop=None):
        n = len(self._items)
        start = max(start + n, 0) if start < 0 else min(start, n)
        stop = n if stop is None else (max(stop + n, 0) if stop < 0 else min(stop, n))
        for i in range(start, stop):
            y = self._items[i]
            if y is x or y == x:
                return i
        raise ValueError("%r is not in deque" % (x,))

    def insert(self, i, x):
        if self.maxlen is not None and len(self._items) >= self.maxlen:
            raise IndexError("deque already at its maximum size")
        self._items.insert(i, x)

    def __delitem__(self, i):
        del self._items[i]

    def __iadd__(self, other):
        self.extend(other)
        return self

    def reverse(self):
        self._items.reverse()

    def copy(self):
        return deque(self._items, self.maxlen)

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __reversed__(self):
        return reversed(self._items)

    def __getitem__(self, i):
        return self._items[i]

    def __setitem__(self, i, v):
        self._items[i] = v

    def __contains__(self, x):
        return x in self._items

    def __bool__(self):
        return bool(self._items)

    def __eq__(self, other):
        return isinstance(other, deque) and self._items == other._items

    def __repr__(self):
        if self.maxlen is None:
            return "deque(%r)" % (self._items,)
        return "deque(%r, maxlen=%d)" % (self._items, self.maxlen)


class _DictWrapper:
    def __init__(self, *args, **kwargs):
        self._d = {}
        if args or kwargs:
            self.update(*args, **kwargs)

    def update(self, *args, **kwargs):
        if args:
            src = args[0]
            if hasattr(src, "keys"):
                for k in src.keys():
                    self[k] = src[k]
            else:
                for k, v in src:
                    self[k] = v
        for k, v in kwargs.items():
            self[k] = v

    def __getitem__(self, k):
        return self._d[k]

    def __setitem__(self, k, v):
        self._d[k] = v

    def __delitem__(self, k):
        del self._d[k]

    def __contains__(self, k):
        return k in self._d

    def __len__(self):
        return len(self._d)

    def __iter__(self):
        return iter(self._d)

    def __eq__(self, other):
        if isinstance(other, _DictWrapper):
            return self._d == other._d
        return self._d == other

    def keys(self):
        return self._d.keys()

    def values(self):
        return self._d.values()

    def items(self):
        return self._d.items()

    def get(self, k, default=None):
        return self._d.get(k, default)

    def pop(self, k, *default):
        return self._d.pop(k, *default)

    def popitem(self):
        return self._d.popitem()

    def setdefault(self, k, default=None):
        return self._d.setdefault(k, default)

    def clear(self):
        self._d.clear()

    def copy(self):
        return self._copy()


class defaultdict(_DictWrapper):
    def __init__(self, default_factory=None, *args, **kwargs):
        self.default_factory = default_factory
        _DictWrapper.__init__(self, *args, **kwargs)

    def __getitem__(self, k):
        if k in self._d:
            return self._d[k]
        return self.__missing__(k)

    def __missing__(self, k):
        if self.default_factory is None:
            raise KeyError(k)
        v = self.default_factory()
        self._d[k] = v
        return v

    def _copy(self):
        return defaultdict(self.default_factory, self._d)

    def __repr__(self):
        return "defaultdict(%r, %r)" % (self.default_factory, self._d)


class OrderedDict(_DictWrapper):
    def move_to_end(self, key, last=True):
        v = self._d.pop(key)
        if last:
            self._d[key] = v
        else:
            rest = list(self._d.items())
            self._d.clear()
            self._d[key] = v
            for k, x in rest:
                self._d[k] = x

    def popitem(self, last=True):
        if not self._d:
            raise KeyError("dictionary is empty")
        key = next(reversed(list(self._d))) if last else next(iter(self._d))
        return key, self._d.pop(key)

    def _copy(self):
        return OrderedDict(self._d)

    def __repr__(self):
        if not self._d:
            return "OrderedDict()"
        return "OrderedDict(%r)" % (self._d,)


class Counter(_DictWrapper):
    def __init__(self, iterable=None, **kwds):
        _DictWrapper.__init__(self)
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def __getitem__(self, k):
        if k in self._d:
            return self._d[k]
        return 0

    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if hasattr(iterable, "keys"):
                for k in iterable.keys():
                    self._d[k] = self._d.get(k, 0) + iterable[k]
            else:
                for elem in iterable:
                    self._d[elem] = self._d.get(elem, 0) + 1
        for k, v in kwds.items():
            self._d[k] = self._d.get(k, 0) + v

    def subtract(self, iterable=None, **kwds):
        if iterable is not None:
            if hasattr(iterable, "keys"):
                for k in iterable.keys():
                    self._d[k] = self._d.get(k, 0) - iterable[k]
            else:
                for elem in iterable:
                    self._d[elem] = self._d.get(elem, 0) - 1
        for k, v in kwds.items():
            self._d[k] = self._d.get(k, 0) - v

    def most_common(self, n=None):
        items = sorted(self._d.items(), key=lambda kv: kv[1], reverse=True)
        return items if n is None else items[:n]

    def elements(self):
        for k, v in self._d.items():
            for _ in range(v):
                yield k

    def total(self):
        return sum(self._d.values())

    def _copy(self):
        return Counter(self._d)

    def _merge(self, other, both, only_other):
        # The multiset operators: `both(mine, theirs)` for each of self's keys (theirs is 0
        # when missing), then `only_other(theirs)` for the other's keys self lacks (skipped
        # when None); only positive results are kept, in that order.
        if not isinstance(other, Counter):
            return NotImplemented
        r = Counter()
        for k, v in self._d.items():
            n = both(v, other[k])
            if n > 0:
                r._d[k] = n
        if only_other is not None:
            for k, v in other._d.items():
                if k not in self._d:
                    n = only_other(v)
                    if n > 0:
                        r._d[k] = n
        return r

    def __add__(self, other):
        return self._merge(other, lambda a, b: a + b, lambda b: b)

    def __sub__(self, other):
        return self._merge(other, lambda a, b: a - b, lambda b: 0 - b)

    def __and__(self, other):
        return self._merge(other, min, None)

    def __or__(self, other):
        return self._merge(other, max, lambda b: b)

    def __pos__(self):
        r = Counter()
        for k, v in self._d.items():
            if v > 0:
                r._d[k] = v
        return r

    def __neg__(self):
        r = Counter()
        for k, v in self._d.items():
            if v < 0:
                r._d[k] = 0 - v
        return r

    def __repr__(self):
        if not self._d:
            return "Counter()"
        items = ", ".join("%r: %r" % kv for kv in self.most_common())
        return "Counter({%s})" % items


class ChainMap:
    # Several mappings searched in order; writes and deletions go to the first.
    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __missing__(self, key):
        raise KeyError(key)

    def __getitem__(self, key):
        for mapping in self.maps:
            try:
                return mapping[key]
            except KeyError:
                pass
        return self.__missing__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __len__(self):
        return len(set().union(*self.maps))

    def __iter__(self):
        d = {}
        for mapping in reversed(self.maps):
            for k in mapping:
                d[k] = None
        return iter(d)

    def __contains__(self, key):
        return any(key in m for m in self.maps)

    def __bool__(self):
        return any(self.maps)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(map(repr, self.maps)))

    def __eq__(self, other):
        if isinstance(other, ChainMap):
            other = dict(other.items())
        return dict(self.items()) == other

    @classmethod
    def fromkeys(cls, iterable, value=None):
        return cls(dict.fromkeys(iterable, value))

    def copy(self):
        return self.__class__(self.maps[0].copy(), *self.maps[1:])

    __copy__ = copy

    def new_child(self, m=None, **kwargs):
        if m is None:
            m = kwargs
        elif kwargs:
            m.update(kwargs)
        return self.__class__(m, *self.maps)

    @property
    def parents(self):
        return self.__class__(*self.maps[1:])

    def keys(self):
        return list(self)

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        try:
            del self.maps[0][key]
        except KeyError:
            raise KeyError("Key not found in the first mapping: %r" % (key,)) from None

    def popitem(self):
        try:
            return self.maps[0].popitem()
        except KeyError:
            raise KeyError("No keys found in the first mapping.") from None

    def pop(self, key, *args):
        try:
            return self.maps[0].pop(key, *args)
        except KeyError:
            raise KeyError("Key not found in the first mapping: %r" % (key,)) from None

    def clear(self):
        self.maps[0].clear()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, other=(), **kwds):
        self.maps[0].update(other, **kwds)

    def __or__(self, other):
        m = self.copy()
        m.maps[0].update(other)
        return m

    def __ior__(self, other):
        self.maps[0].update(other)
        return self


_KEYWORDS = frozenset((
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield"))


def namedtuple(typename, field_names, *, defaults=None, module=None, rename=False):
    # A real tuple subclass: instances are tuples (isinstance, +, comparison, unpacking,
    # hashing), fields are properties over the items.
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    field_names = list(map(str, field_names))
    typename = str(typename)
    if rename:
        seen = set()
        for i, name in enumerate(field_names):
            if (not name.isidentifier() or name in _KEYWORDS or name.startswith("_")
                    or name in seen):
                field_names[i] = "_%d" % i
            seen.add(name)
    for name in [typename] + field_names:
        if type(name) is not str:
            raise TypeError("Type names and field names must be strings")
        if not name.isidentifier():
            raise ValueError("Type names and field names must be valid identifiers: %r" % name)
        if name in _KEYWORDS:
            raise ValueError("Type names and field names cannot be a keyword: %r" % name)
    seen = set()
    for name in field_names:
        if name.startswith("_") and not rename:
            raise ValueError("Field names cannot start with an underscore: %r" % name)
        if name in seen:
            raise ValueError("Encountered duplicate field name: %r" % name)
        seen.add(name)
    fields = tuple(field_names)
    nfields = len(fields)
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > nfields:
            raise TypeError("Got more default values than field names")
    else:
        defaults = ()
    field_defaults = dict(zip(fields[nfields - len(defaults):], defaults))

    def __new__(_cls, *args, **kwargs):
        values = list(args)
        if len(values) > nfields:
            if defaults:
                takes = "from %d to %d positional arguments" % (nfields - len(defaults) + 1, nfields + 1)
            else:
                takes = "%d positional argument%s" % (nfields + 1, "" if nfields == 0 else "s")
            raise TypeError("%s.__new__() takes %s but %d were given" % (typename, takes, len(values) + 1))
        for name in fields[:len(values)]:
            if name in kwargs:
                raise TypeError("%s.__new__() got multiple values for argument '%s'" % (typename, name))
        missing = []
        for name in fields[len(values):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                missing.append(name)
                values.append(None)
        if kwargs:
            raise TypeError("%s.__new__() got an unexpected keyword argument '%s'" % (typename, next(iter(kwargs))))
        if missing:
            if len(missing) == 1:
                names = "'%s'" % missing[0]
            else:
                names = ", ".join("'%s'" % m for m in missing[:-1]) + " and '%s'" % missing[-1]
            raise TypeError("%s.__new__() missing %d required positional argument%s: %s" % (
                typename, len(missing), "" if len(missing) == 1 else "s", names))
        return tuple.__new__(_cls, values)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % (f, v) for f, v in zip(fields, self)))

    def _asdict(self):
        return dict(zip(fields, self))

    def _replace(self, **kw):
        values = [kw.pop(name, value) for name, value in zip(fields, self)]
        if kw:
            raise TypeError("Got unexpected field names: %r" % list(kw))
        return tuple.__new__(type(self), values)

    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != nfields:
            raise TypeError("Expected %d arguments, got %d" % (nfields, len(result)))
        return result

    def __getnewargs__(self):
        return tuple(self)

    ns = {
        "__slots__": (), "__new__": __new__, "__repr__": __repr__, "_asdict": _asdict,
        "_replace": _replace, "_make": classmethod(_make), "__getnewargs__": __getnewargs__,
        "_fields": fields, "_field_defaults": field_defaults, "__match_args__": fields,
        "__module__": module or "__main__",
    }
    for index, name in enumerate(fields):
        ns[name] = property(lambda self, i=index: self[i],
                            doc="Alias for field number %d" % index)
    return type(typename, (tuple,), ns)
