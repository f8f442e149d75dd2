"""Regenerates the expectations of the program-fault tests from CPython 3.13.

Run: python3 regen.py [/path/to/python3.13]   (from any directory)

For every NAME.py here it writes NAME.stdout, NAME.stderr and NAME.status as CPython
produced them, with this folder's absolute path replaced by <DIR>. The first-line
markers drive the run exactly as tests/tests/program_faults.rs drives vigil:
  "# sigint-after-first-line": SIGINT is sent once the first stdout line is read;
  stdin is a pipe that receives "second line\n" 300 ms after the signal (or at once), then EOF;
  "# memory-limit: SIZE": CPython runs under RLIMIT_AS = SIZE + its own baseline
  (vigil gets VIGIL_MEMORY_LIMIT=SIZE), so both reach MemoryError.
NAME.status is "exit N" or "signal N".
"""
import os, resource, signal, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.argv[1] if len(sys.argv) > 1 else "/root/.cache/cpython3.13/python3.13"

def size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)

def run(name):
    path = os.path.join(HERE, name + ".py")
    first = open(path).readline()
    limit = size(first.split(":")[1].strip()) if first.startswith("# memory-limit:") else None
    def pre():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if limit:
            # CPython's own mappings (libraries, arenas) are about 30 MiB of address space.
            resource.setrlimit(resource.RLIMIT_AS, (limit + (30 << 20),) * 2)
    p = subprocess.Popen([PY, name + ".py"], cwd=HERE, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=pre)
    head = b""
    if first.startswith("# sigint-after-first-line"):
        head = p.stdout.readline()
        time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        time.sleep(0.3)
    out, err = p.communicate(b"second line\n", timeout=120)
    out = head + out
    rc = p.returncode
    status = "signal %d" % -rc if rc < 0 else "exit %d" % rc
    fix = lambda b: b.decode().replace(HERE, "<DIR>")
    for ext, text in (("stdout", fix(out)), ("stderr", fix(err)), ("status", status + "\n")):
        with open(os.path.join(HERE, name + "." + ext), "w") as f:
            f.write(text)
    print(name, status)

for f in sorted(os.listdir(HERE)):
    if f.endswith(".py") and f != "regen.py":
        run(f[:-3])
