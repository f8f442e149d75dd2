def gen(n):
    for i in range(n):
        x = yield i
        if x:
            print("got", x)
    return "done"


def deleg():
    r = yield from gen(3)
    yield r


async def co(x):
    return x + 1


async def main():
    a = await co(1)
    b = await co(a)
    return a + b


g = deleg()
print(next(g), g.send(5), list(g))
c = main()
try:
    c.send(None)
except StopIteration as e:
    print(e.value)
sq = (i * i for i in range(4) if i)
print(sum(sq), [(i, j) for i in range(3) for j in range(i)], {k: v for k, v in [(1, 2)]}, {s for s in "ab"})
