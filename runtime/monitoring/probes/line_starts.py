# Probe run on CPython 3.13.5 for vigil-monitoring: which instructions CPython
# marks as LINE starts (spec L2, part A). For each function it prints dis's view
# of the code (offset, base opname, line, jump target) and the exception-table
# handlers, then enables LINE locally (set_local_events instruments at once,
# nothing runs) and marks with L every instruction that became
# INSTRUMENTED_LINE. Output: line_starts.out. Nothing here is executed.
import dis
import sys

M = sys.monitoring
M.use_tool_id(0, 'line-starts')


def simple(a):
    b = a + 1; c = b * 2
    return c


def branches(x):
    if x > 1:
        y = 1
    elif x:
        y = 2
    else:
        y = 3
    return y and x or None


def loops(n):
    t = 0
    for i in range(n): t += i
    for i in range(n):
        if i == 2:
            continue
        if i == 5:
            break
        t += i
    while n:
        n -= 1
    while True:
        if t > 3:
            break
        t += 1
    return t


def excepts(d):
    try:
        v = d['k']
    except KeyError as e:
        v = None
    except (TypeError, ValueError):
        raise
    else:
        v = v or 0
    finally:
        d = None
    try:
        for k in d:
            pass
    except Exception:
        pass
    return v


def withs(m):
    with m as x:
        y = x
    with m:
        with m:
            pass
    return y


def comps(xs):
    a = [x * 2 for x in xs if x]
    b = {x: (y
             for y in xs)
         for x in xs}
    c = (
        len(a) +
        len(b)
    )
    return [a, b, c]


def gen(xs):
    yield 1
    r = yield from xs
    for x in xs:
        yield x
    return r


async def coro(aw, ait):
    v = await aw
    async for x in ait:
        v += x
    async with aw as y:
        v += y
    return v


@staticmethod
def decorated(
        a,
        b=2):
    return (a,
            b)


class Body:
    x = 1
    def m(self):
        return super().m()


def handlers(xs):
    try:
        pass
    finally:
        xs = None
    try:
        return xs[0]
    except* ValueError:
        xs = 1
    return xs


FUNCS = [simple, branches, loops, excepts, withs, comps, gen, coro,
         decorated.__func__, Body.m, handlers]

for fn in FUNCS:
    code = fn.__code__
    M.set_local_events(0, code, M.events.LINE)
    instrumented = {i.offset for i in dis.get_instructions(code, adaptive=True)
                    if i.opname == 'INSTRUMENTED_LINE'}
    M.set_local_events(0, code, 0)
    print('##', code.co_qualname)
    for i in dis.get_instructions(code):
        line = i.positions.lineno if i.positions.lineno is not None else '-'
        target = i.jump_target if i.jump_target is not None else '-'
        mark = 'L' if i.offset in instrumented else '.'
        print(i.offset, i.opname, line, target, mark)
    print('handlers', *sorted({e.target for e in dis._parse_exception_table(code)}))
M.free_tool_id(0)
