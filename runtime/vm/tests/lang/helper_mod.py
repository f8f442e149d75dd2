# A sibling module imported by modules.py (also runs standalone: prints nothing).
CONST = 99


def greet(name):
    return "hello " + name


def double(x):
    return 2 * x
