# os and os.path basics.
import os
import os.path
from os.path import join, splitext
print(join("a", "b", "c.txt"), join("/x", "/abs", "y"), splitext("dir/file.tar.gz"), splitext(".bashrc"), splitext("a/b"))
print(os.path.basename("/usr/lib/x.py"), os.path.dirname("/usr/lib/x.py"), os.path.dirname("x.py"), os.path.split("/a/b/c"), os.path.split("c"))
print(os.path.exists("/tmp"), os.path.isdir("/tmp"), os.path.isfile("/tmp"), os.path.isabs("/a"), os.sep, os.name)
print(os.path.abspath("/a/b/../c/./d"), "PATH" in os.environ, os.getenv("DEFINITELY_NOT_SET_VAR", "dflt"))
try:
    os.remove("/tmp/definitely-not-a-file-xyz")
except FileNotFoundError as e:
    print(e)
