# sigint-after-first-line
def spin():
    n = 0
    while True:
        n += 1
print("ready", flush=True)
try:
    spin()
except KeyboardInterrupt as e:
    print("caught", type(e).__name__, repr(e))
print("after")
