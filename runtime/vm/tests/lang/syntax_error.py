# A real syntax error: CPython's SyntaxError report, exit 1.
def ok():
    return 1

x = (1 +
print("never")
