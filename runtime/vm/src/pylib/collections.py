# vigil's collections, written in Python on top of the VM. The mapping types wrap a dict
# (vigil does not support subclassing dict), so isinstance(x, dict) is False for them.

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
        self._items.remove(x)

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

    def __add__(self, other):
        r = Counter()
        for k, v in self._d.items():
            n = v + other[k]
            if n > 0:
                r._d[k] = n
        for k, v in other._d.items():
            if k not in self._d and v > 0:
                r._d[k] = v
        return r

    def __sub__(self, other):
        r = Counter()
        for k, v in self._d.items():
            n = v - other[k]
            if n > 0:
                r._d[k] = n
        return r

    def __repr__(self):
        if not self._d:
            return "Counter()"
        items = ", ".join("%r: %r" % kv for kv in self.most_common())
        return "Counter({%s})" % items


def namedtuple(typename, field_names, *, defaults=None, module=None, rename=False):
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    fields = tuple(field_names)
    defaults = tuple(defaults) if defaults else ()

    def __init__(self, *args, **kwargs):
        values = list(args)
        if len(values) > len(fields):
            raise TypeError("%s() takes %d positional arguments but %d were given" % (typename, len(fields) + 1, len(values) + 1))
        n_missing = len(fields) - len(values)
        for i, name in enumerate(fields[len(values):]):
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif len(fields) - (len(values)) <= len(defaults):
                values.append(defaults[len(defaults) - (len(fields) - len(values))])
            else:
                missing = [f for f in fields[len(values):] if f not in kwargs]
                raise TypeError("%s.__new__() missing %d required positional argument%s: %s" % (
                    typename, len(missing), "" if len(missing) == 1 else "s",
                    " and ".join("'%s'" % m for m in missing)))
        if kwargs:
            raise TypeError("%s.__new__() got an unexpected keyword argument '%s'" % (typename, next(iter(kwargs))))
        object.__setattr__(self, "_values", tuple(values))
        for name, v in zip(fields, values):
            object.__setattr__(self, name, v)

    def __repr__(self):
        return "%s(%s)" % (typename, ", ".join("%s=%r" % (f, v) for f, v in zip(fields, self._values)))

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(fields)

    def __getitem__(self, i):
        return self._values[i]

    def __eq__(self, other):
        if hasattr(other, "_values"):
            return self._values == other._values
        return self._values == other

    def __lt__(self, other):
        return self._values < tuple(other)

    def __hash__(self):
        return hash(self._values)

    def _asdict(self):
        return dict(zip(fields, self._values))

    def _replace(self, **kw):
        d = dict(zip(fields, self._values))
        d.update(kw)
        return cls(**d)

    def _make(iterable):
        return cls(*iterable)

    ns = {
        "__init__": __init__, "__repr__": __repr__, "__iter__": __iter__, "__len__": __len__,
        "__getitem__": __getitem__, "__eq__": __eq__, "__lt__": __lt__, "__hash__": __hash__,
        "_asdict": _asdict, "_replace": _replace, "_make": staticmethod(_make), "_fields": fields,
        "__match_args__": fields, "__module__": module or "__main__",
    }
    cls = type(typename, (), ns)
    return cls
