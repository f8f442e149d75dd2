def f(x):
    return 1 / x
print("partial", end="")
f(0)
