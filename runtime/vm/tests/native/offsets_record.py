# Records, under CPython 3.13, what monitoring_native.rs's offsets test expects a native tool
# to see for offsets.py: usage `python3.13 offsets_record.py > offsets.expected`. One line per
# event of the program's code objects: EVENT qualname offset [destination], then the line
# co_lines() gives for the offset (and for the destination), and for CALL the frame's f_lasti.
# Events of big on lines 39-288 are left out (see offsets.py).
import sys

M = sys.monitoring
E = M.events
PATH = __file__.replace("offsets_record.py", "offsets.py")
out = []
EVENTS = {
    "PY_START": E.PY_START, "PY_RESUME": E.PY_RESUME, "PY_RETURN": E.PY_RETURN,
    "PY_YIELD": E.PY_YIELD, "CALL": E.CALL, "LINE": E.LINE, "INSTRUCTION": E.INSTRUCTION,
    "JUMP": E.JUMP, "BRANCH": E.BRANCH, "STOP_ITERATION": E.STOP_ITERATION,
    "RAISE": E.RAISE, "EXCEPTION_HANDLED": E.EXCEPTION_HANDLED,
}


def line_of(code, off):
    for s, e, l in code.co_lines():
        if s <= off < e:
            return -1 if l is None else l
    return -1


def make(name):
    def cb(code, off, *rest):
        if code.co_filename != PATH:
            return
        line = off if name == "LINE" else line_of(code, off)
        if code.co_qualname == "big" and 39 <= line <= 288:
            return
        if name == "LINE":
            out.append(f"LINE {code.co_qualname} {off}")
            return
        row = f"{name} {code.co_qualname} {off} @{line_of(code, off)}"
        if name in ("BRANCH", "JUMP"):
            row += f" -> {rest[0]} @{line_of(code, rest[0])}"
        if name == "CALL":
            row += f" lasti {sys._getframe(1).f_lasti}"
        out.append(row)
    return cb


M.use_tool_id(3, "offsets")
mask = 0
for name, ev in EVENTS.items():
    M.register_callback(3, ev, make(name))
    mask |= ev
src = open(PATH).read()
code = compile(src, PATH, "exec")
M.set_events(3, mask)
exec(code, {"__name__": "__main__"})
M.set_events(3, 0)
sys.stdout.write("\n".join(out) + "\n")
