# `s += t` and `s = s + t` on strs stored back into the same local: appended in place when
# nothing else holds `s`, copied otherwise. Every other holder must still see the old value.


def build(n):
    s = ""
    for i in range(n):
        s += "ab"
    return s


def build_plus(n):
    s = "start:"
    for i in range(n):
        s = s + str(i % 10)
    return s


def aliased():
    s = "".join(["x", "y"])
    t = s
    s += "z"
    return s, t


def in_containers():
    s = "".join(["p", "q"])
    keep = [s]
    d = {s: 1}
    s += "r"
    return s, keep, d, d.get("pq"), d.get("pqr")


def doubled():
    s = "".join(["a", "b"])
    s += s
    s = s + s
    return s


def non_ascii():
    s = "".join(["é", "e"])
    for c in "ñü€":
        s += c
    return s, len(s), s[2:], s.upper()


def hash_after_append():
    s = "".join(["ke", "y"])
    h0 = hash(s)
    s += "!"
    d = {"key!": "found"}
    return h0 == hash("key"), hash(s) == hash("key!"), d[s], s == "key!"


def superinstructions():
    # STORE_FAST_LOAD_FAST and STORE_FAST_STORE_FAST carry the store target in the high
    # nibble (see the compiler's notes); these keep `s` in a register-like local.
    s = "".join(["m", "n"])
    out = []
    for i in range(3):
        s = s + "o"; t = s
        out.append(t)
    a, b = s + "1", s
    return s, out, a, b


def constants_untouched():
    s = "const"
    s += "-more"
    return s, "const"


def across_a_call():
    s = "".join(["c", "d"])

    def peek():
        return "peek"

    s += peek()
    return s


def interned_name():
    s = "interned_name"
    s += "_suffix"
    return s, "interned_name"


def bytes_and_lists_still_work():
    b = b"ab"
    b += b"cd"
    lst = [1]
    lst2 = lst
    lst += [2]
    return b, lst, lst2


def not_a_str():
    x = "a"
    try:
        x += 1
    except TypeError as e:
        return x, str(e)


s = build(1000)
print(len(s), s[:6], s[-4:])
print(build_plus(25))
print(aliased())
print(in_containers())
print(doubled())
print(non_ascii())
print(hash_after_append())
print(superinstructions())
print(constants_untouched())
print(across_a_call())
print(interned_name())
print(bytes_and_lists_still_work())
print(not_a_str())
g = "".join(["g", "h"])
g += "i"
print(g)
