def loops(n):
    total = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        elif i > 7:
            break
        total += i
    else:
        total = -1
    while total > 0:
        total -= 3
        if total == 4:
            break
    else:
        total += 100
    while True:
        n -= 1
        if not n:
            break
    return total


def conditions(a, b, c):
    if a and b or c:
        x = 1
    elif not a:
        x = 2
    else:
        x = 3
    y = a if b else c
    z = a < b < c
    if a is not None and b is None:
        x += 1
    if 1 < a <= 3:
        x -= 1
    return x, y, z, a in (1, 2), b not in [3, 4]


def nested(m):
    out = []
    for i in range(m):
        for j in range(i):
            if j == 2:
                break
            out.append((i, j))
    return out


print(loops(10), conditions(1, 2, 3), nested(4))
