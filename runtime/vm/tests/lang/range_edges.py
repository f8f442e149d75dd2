# range iteration at the ends of the 64-bit range: the step past the last value must not wrap
# (vigil keeps small ranges in machine integers; CPython never overflows).
def show(r, limit=8):
    out = []
    for i in r:
        out.append(i)
        if len(out) >= limit:
            break
    print(len(out), out)


show(range(2**63 - 10, 2**63 - 1, 5))
show(range(-2**63 + 10, -2**63, -7))
show(range(2**63 - 3, 2**63 - 1))
show(range(-2**63 + 2, -2**63, -1))
show(range(0, 2**63 - 1, 2**62))
show(range(0, -2**63, -2**62))
print(list(range(2**63 - 10, 2**63 - 1, 5)))
print(sum(1 for _ in range(2**63 - 4, 2**63 - 1)))
it = iter(range(2**63 - 2, 2**63 - 1))
print(next(it), next(it, "done"))
print([x for x in range(2**63 - 9, 2**63 - 1, 4)])
