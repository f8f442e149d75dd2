# Deeply nested containers recurse natively; comparing them must be a RecursionError,
# never a crash of the interpreter's own stack.
a, b = [], []
for i in range(200000):
    a, b = [a], [b]
try:
    print(a == b)
except RecursionError as e:
    print("lists:", e)
d, e2 = {}, {}
for i in range(200000):
    d, e2 = {"k": d}, {"k": e2}
try:
    print(d == e2)
except RecursionError as e:
    print("dicts:", e)
print("still running")
