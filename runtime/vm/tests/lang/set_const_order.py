# Set displays of constants become frozenset constants; their iteration order is CPython's.
import random

print(list({3, 11, 19}))
print([x for x in {3, 11, 19}])
for x in {19, 3, 11, 27}:
    print("for", x)
print(list({"a", "b", "c", 1, 2.5, (1, 2)}))
print(frozenset({3, 11, 19}) == {19, 3, 11}, 11 in {3, 11, 19}, 12 in {3, 11, 19})
print({-1, -2, 7, 15, 23, 31})
print(sorted({3, 11, 19}))
a, b, c = 3, 11, 19
print(list({a, b, c}), list({a, 11, 19}), list({*(3, 11, 19)}))

# Many shapes: every display is compiled from source, so the constant is what the compiler made.
random.seed(5)
for n in range(3, 40, 3):
    for t in range(6):
        items = random.sample(range(-50, 300), n)
        src = "{" + ", ".join(map(str, items)) + "}"
        lit = eval(src)
        looped = eval("[z for z in " + src + "]")
        print(n, list(lit), looped)
