# A frame object shows the state its activation is in when it is read: live while it runs,
# its last values (and the line of its return) once it has finished, also after the
# exception that made the object was caught and the frame ran on.


def caught_then_ran_on():
    x = 1
    try:
        raise ValueError("v")
    except ValueError as e:
        err = e
    x = 2
    y = "later"
    return err


err = caught_then_ran_on()
f = err.__traceback__.tb_frame
print(sorted(f.f_locals.items(), key=lambda kv: kv[0])[:0], sorted(k for k in f.f_locals))
print(f.f_locals["x"], f.f_locals["y"], f.f_lineno, err.__traceback__.tb_lineno)


def propagates(a):
    b = a * 3
    c = [b]
    c.append(4)
    raise KeyError(b)


def catcher():
    try:
        propagates(5)
    except KeyError as e:
        return e


e = catcher()
inner = e.__traceback__.tb_next.tb_frame
print(sorted(inner.f_locals.items()), inner.f_lineno)
outer = e.__traceback__.tb_frame
print(outer.f_code.co_name, outer.f_lineno, inner.f_back is outer)


# Read while the activation still runs: current values, then the values at exit.
saved = []


def live():
    n = 0
    try:
        1 / 0
    except ZeroDivisionError as z:
        saved.append(z)
        fr = z.__traceback__.tb_frame
        n = 10
        print("live", fr.f_locals["n"], fr.f_lineno)
    n = 20
    return fr


fr = live()
print("after", fr.f_locals["n"], fr.f_lineno)


# Many raises in one activation share one frame object; the values are the final ones.
def loop(k):
    errs = []
    for i in range(k):
        try:
            {}[i]
        except KeyError as e:
            errs.append(e)
    return errs


errs = loop(4)
frames = [x.__traceback__.tb_frame for x in errs]
print(all(fx is frames[0] for fx in frames), frames[0].f_locals["i"], len(frames[0].f_locals["errs"]))
print([x.__traceback__.tb_lineno for x in errs])


# A generator: the frame of a suspended generator, then of a finished one.
def gen():
    t = "start"
    try:
        raise IndexError("g")
    except IndexError as ie:
        yield ie
    t = "resumed"
    yield t
    t = "done"


g = gen()
ie = next(g)
gf = ie.__traceback__.tb_frame
print(gf.f_locals["t"], gf.f_lineno)
# (vigil: a generator's frame object shows the state of the first yield after the
# exception from then on, so only the values yielded are printed here.)
print(next(g))
print(list(g))


# A recursion unwinding through several activations of the same function.
def rec(n):
    if n == 0:
        raise RuntimeError("bottom")
    m = n * 10
    rec(n - 1)


try:
    rec(3)
except RuntimeError as r:
    t = r.__traceback__
    out = []
    while t is not None:
        loc = t.tb_frame.f_locals
        out.append((t.tb_frame.f_code.co_name, loc.get("n"), loc.get("m")))
        t = t.tb_next
    print(out)

# Printing an uncaught exception still shows every entry.
def last(q):
    w = q + 1
    return {}[w]


last(1)
