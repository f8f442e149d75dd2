for i in range(50000):
    print("line", i)
print("last, no newline", end="")
raise ValueError("after lots of output")
