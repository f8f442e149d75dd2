# sigint-after-first-line
print("ready", flush=True)
print("buffered, no newline", end="")
try:
    while True:
        pass
finally:
    print(" / finally ran")
