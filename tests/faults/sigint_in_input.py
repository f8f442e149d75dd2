# sigint-after-first-line
print("ready", flush=True)
try:
    s = input()
    print("got", s)
except KeyboardInterrupt:
    print("input interrupted")
print("next line:", input())
