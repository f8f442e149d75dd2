# Traceback excerpts for instructions spanning several lines (traceback.print_exc and uncaught).
def f(a, b, c):
    return a / b
def g(x):
    return f(
        1,
        x,
        3,
    )
def h(d):
    total = (d["a"] +
             d["b"] +
             d["missing"])
    return total
def k():
    return (1 +
            2) / 0
def run(fn, *args):
    try:
        fn(*args)
    except Exception:
        import traceback
        traceback.print_exc()
run(g, 0)
run(h, {"a": 1, "b": 2})
run(k)
x = [1,
     2][5] if False else None
value = g(
    0)
