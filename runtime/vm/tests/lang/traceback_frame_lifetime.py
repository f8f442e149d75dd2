# A frame object holds its activation's locals only as long as a traceback (or another
# frame's f_back) holds it: a generator among them is closed when the function returns.


def gen(tag):
    try:
        yield 1
    finally:
        print("closed", tag)


def handled_inside():
    g = gen("a")
    next(g)
    try:
        raise ValueError
    except ValueError:
        pass
    print("end handled_inside")


handled_inside()
print("after handled_inside")


def kept():
    g = gen("b")
    next(g)
    try:
        raise KeyError("k")
    except KeyError as e:
        return e


err = kept()
print("after kept", sorted(err.__traceback__.tb_frame.f_locals))
del err
print("after del")
