# exec, eval, compile, and open() for text/binary reading and writing.
ns = {"y": 5}
exec("x = y * 2\ndef f(a):\n    return a + x\n", ns)
print(ns["x"], ns["f"](1), eval("x + 1", ns), eval("[i * i for i in range(4)]"))
code = compile("print('compiled', 6 * 7)", "<mine>", "exec")
exec(code)
print(type(code).__name__, code.co_filename, eval(compile("1 + 2", "<e>", "eval")))
try:
    eval("1 +")
except SyntaxError as e:
    print("SyntaxError caught", type(e).__name__)
try:
    exec("raise KeyError('inside exec')")
except KeyError as e:
    print("KeyError", e)
path = "/tmp/vigil_lang_dynamic.txt"
with open(path, "w") as fh:
    fh.write("line one\n")
    fh.write("line two\n")
with open(path, "a") as fh:
    print("line three", file=fh)
with open(path) as fh:
    print(repr(fh.read()))
with open(path) as fh:
    for line in fh:
        print("->", line.rstrip())
with open(path, "rb") as fh:
    data = fh.read()
print(type(data).__name__, len(data), data[:4])
print(open(path).readlines())
try:
    open("/tmp/definitely/not/here.txt")
except FileNotFoundError as e:
    print("FileNotFoundError", e)
g = globals()
g["made_here"] = 1
print(made_here, "made_here" in globals())
