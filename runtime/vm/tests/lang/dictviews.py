# dict views: keys/values/items are live, set-like (keys/items), with CPython's reprs.
d = {"a": 1, "b": 2, "c": 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it, len(k), "a" in k, 2 in v, ("b", 2) in it, ("b", 3) in it)
d["z"] = 26
print(list(k), sorted(v), list(it)[-1], type(k).__name__, type(it).__name__)
print(k & {"a", "z", "q"}, k | {"x"}, k - {"a"}, {"a": 0}.keys() == {"a": 1}.keys(), it == d.items())
print(list(reversed(d.keys())), sum(d.values()), max(d.items(), key=lambda kv: kv[1]))
for key, val in d.items():
    pass
print(key, val, list(zip(d.keys(), d.values()))[:2], dict(d.items()) == d, bool({}.keys()))
try:
    for x in d.keys():
        d["new"] = 1
except RuntimeError as e:
    print(e)
