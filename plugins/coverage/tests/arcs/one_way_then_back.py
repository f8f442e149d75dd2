# Branches that go one way many times before they first go the other: once coverage has seen
# the first way it silences it, and the VM runs such a branch on a quiet path until the other
# way comes. Each kind of branch below switches late, so each late direction must still be
# reported: bool tests, `is None` / `is not None`, and loops over a range and over a list
# (whose exit comes once, at the end).


def late_false(n):
    hits = 0
    for i in range(n):
        if i < n - 1:
            hits += 1
        else:
            hits -= 1
    return hits


def late_true(n):
    hits = 0
    i = 0
    while i < n:
        if i == n - 1:
            hits += 10
        i += 1
    return hits


def nones(xs):
    seen = 0
    for x in xs:
        if x is None:
            seen += 1
        if x is not None:
            seen += 2
    return seen


def lists(n):
    total = 0
    for v in [1, 2, 3] * n:
        total += v
    items = list(range(6))
    for k in items:
        if k < 3:
            items.append(k + 100)
    return total, len(items)


def truthy(values):
    count = 0
    for v in values:
        if v:
            count += 1
    return count


print(late_false(50), late_true(40), nones([1] * 40 + [None]), lists(30))
print(truthy([1] * 30 + [0]), truthy(["a"] * 30 + [""]))
