# A text file opened for writing has writelines (lines written as given, no separators
# added; a non-str item is a TypeError).
import os

path = "file_writelines.tmp"
with open(path, "w") as f:
    f.write("first\n")
    f.writelines(["a\n", "b", "c\n"])
    f.writelines(x + "\n" for x in "yz")
    try:
        f.writelines(["ok\n", 5])
    except TypeError as e:
        print("TypeError", e)
with open(path) as f:
    print(repr(f.read()))
os.remove(path)
