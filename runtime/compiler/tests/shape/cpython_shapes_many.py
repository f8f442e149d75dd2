"""Print the bytecode shapes of many files as CPython 3.13 compiles them.

usage: python3.13 cpython_shapes_many.py FILE...

For each file: a line `#### FILE`, then its shape in the format of cpython_shape.py.
"""
import io
import runpy
import sys
from contextlib import redirect_stdout

here = __file__.rsplit("/", 1)[0]
for path in sys.argv[1:]:
    print("#### " + path)
    buf = io.StringIO()
    old = sys.argv
    sys.argv = ["cpython_shape.py", path]
    try:
        with redirect_stdout(buf):
            runpy.run_path(here + "/cpython_shape.py", run_name="__main__")
    except SyntaxError:
        pass
    finally:
        sys.argv = old
    sys.stdout.write(buf.getvalue())
