# CPython 3.13 fires INSTRUCTION for every EXTENDED_ARG prefix (constant and name indexes
# above 255, jumps longer than 255 code units), at the prefix's own byte offset, before the
# instruction it extends; a DISABLE returned there silences that offset only. vigil's
# bytecode has no prefixes, so the VM reports them itself.
import dis
import sys

M = sys.monitoring
E = M.events
TOOL = 2

# 300 lines whose constants push the constant index past 255, then 300 globals (LOAD_GLOBAL's
# argument is the name index times two), then a loop whose body is long enough that the
# forward jump over it and the backward jump to its header both need a prefix; the line after
# the skipped body starts with a prefixed LOAD_CONST, so the branch lands on a prefix.
src = ["def big(x):", "    t = 0"]
for k in range(300):
    src.append(f"    t += {1000 + k}")
for k in range(140):
    src.append(f"    t += g{k}")
src += ["    n = 0", "    while n < 2:", "        n += 1", "        if x:"]
for k in range(70):
    src.append(f"            t += {1000 + k}")
src += ["        t = 1299 + t", "    return t"]
G = {f"g{k}": k for k in range(140)}
exec("\n".join(src), G)
big = G["big"]
code = big.__code__
FIRST = code.co_firstlineno + 2 + 300 + 120  # the log shows the last 20 globals on

ops = {i.offset for i in dis.get_instructions(big) if i.opname != "EXTENDED_ARG"}
log = []
seen = {"I": 0, "P": 0}
disable_at = set()
raise_at = None
names = {E.INSTRUCTION: "I", E.LINE: "L", E.BRANCH: "B", E.JUMP: "J"}


def make(ev):
    def cb(code, off, *rest):
        if ev == E.LINE:
            line = off
        else:
            line = next(l for s, e, l in code.co_lines() if s <= off < e)
        tag = "P" if ev == E.INSTRUCTION and off not in ops else names[ev]
        if tag in seen:
            seen[tag] += 1
        if line is not None and line >= FIRST:
            log.append((tag, off, *rest) if ev != E.LINE else (tag, line - FIRST))
        if ev == E.INSTRUCTION and off == raise_at:
            raise RuntimeError(f"at {off}")
        if ev == E.INSTRUCTION and off in disable_at:
            return M.DISABLE
    return cb


M.use_tool_id(TOOL, "ext")
for ev in names:
    M.register_callback(TOOL, ev, make(ev))
M.set_local_events(TOOL, code, E.INSTRUCTION | E.LINE | E.BRANCH | E.JUMP)


def run(label, x):
    log.clear()
    seen["I"] = seen["P"] = 0
    r = big(x)
    prefixes = [row[1] for row in log if row[0] == "P"]
    print(label, r, seen["I"], seen["P"], len(log), len(prefixes))
    return prefixes


# Every event from the 120th global on, in order: "P" marks an INSTRUCTION at an offset that
# dis.get_instructions does not list as an instruction of its own (a prefix).
pre = run("x=0", 0)
print(" ".join(":".join(map(str, row)) for row in log))
run("x=1", 1)
print(" ".join(":".join(map(str, row)) for row in log[-40:]))

# DISABLE at one prefix silences that offset only; the instruction it extends still fires.
# DISABLE at an instruction with a prefix leaves the prefix firing.
p0, p1 = pre[0], pre[-1]
disable_at = {p0, p1 + 2}
run("disable", 0)
after = run("after", 0)
rows = [row[1] for row in log if row[0] in "PI"]
print(p0 in rows, p0 + 2 in rows, p1 in rows, p1 + 2 in rows, len(pre) - len(after))
M.restart_events()
disable_at = set()
print(len(run("restart", 0)) == len(pre))

# A callback raising at a prefix: the exception enters the program there.
raise_at = pre[1]
try:
    big(0)
except RuntimeError as e:
    print("raised", e.args[0] == f"at {pre[1]}")
raise_at = None
M.set_local_events(TOOL, code, 0)
M.free_tool_id(TOOL)
