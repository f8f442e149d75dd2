# An activation that went from the traced dispatch loop to the plain copy between traced
# stretches (a loop iteration met no instrumented word after LINE was DISABLEd) must leave that
# copy with its value intact: yield, return, raise (caught by a caller or by its own handler),
# and a `yield from` delegate's return value.
import sys
mon = sys.monitoring
E = mon.events
mon.use_tool_id(3, "t")
seen = []
def line(code, n):
    seen.append(n)
    return mon.DISABLE
mon.register_callback(3, E.LINE, line)
mon.set_events(3, E.LINE)

def gen(n):
    i = 0
    while True:
        i += 1
        if i % n == 0: yield i
        if i > 4 * n: return "done"

def raiser(n):
    i = 0
    while True:
        i += 1
        x = 10 // (n - i)

def returner(n):
    t = 0
    while True:
        t += 1
        if t > n: return t

def catcher(n):
    caught = 0
    for i in range(n):
        try:
            x = 10 // (i % 3)
        except ZeroDivisionError:
            caught += 1
    return caught

print(list(gen(5)))
try:
    raiser(4)
except ZeroDivisionError as e:
    print("caught", e)
print(returner(10))
print(catcher(10))
def outer():
    r = yield from gen(3)
    print("inner returned", r)
    return r
g = outer()
print(list(g))
mon.set_events(3, 0)
print(sorted(set(seen)))
