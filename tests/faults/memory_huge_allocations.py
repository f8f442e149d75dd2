for make in (lambda: [0] * 10**12, lambda: "x" * 10**12, lambda: b"y" * 10**12, lambda: list(range(10**12))):
    try:
        make()
    except MemoryError as e:
        print("MemoryError", repr(e))
print("still alive")
x = (0,) * 10**12
