# memory-limit: 200M
print("start")
chunks = []
try:
    while True:
        chunks.append([0] * 1000)
except MemoryError:
    grew = len(chunks) > 1000
    chunks = None
    print("MemoryError after growing:", grew)
print("end")
