# How long a LINE DISABLE lasts across set_events toggles (D4): CPython re-instruments a code
# object only when it runs (its next RESUME) or is on the stack when the events change. So
# toggling LINE off and on without running f keeps f's DISABLE; running f in between, or
# toggling while f is on the stack, clears it. Adding an unrelated event keeps it.
import sys

M = sys.monitoring
E = M.events
M.use_tool_id(0, "t")
seen = []


def line(code, ln):
    if code.co_name in ("f", "h"):
        seen.append((code.co_name, ln - code.co_firstlineno))
        if ln - code.co_firstlineno == 1:
            return M.DISABLE


M.register_callback(0, E.LINE, line)


def f():
    y = 1
    return y


def h(toggle):
    y = 1
    if toggle:
        M.set_events(0, 0)
        M.set_events(0, E.LINE)
    return y


def step(label, fn, *a):
    seen.clear()
    fn(*a)
    print(label, seen)


M.set_events(0, E.LINE)
step("first", f)
step("second", f)
M.set_events(0, E.LINE | E.PY_START)
step("unrelated event added", f)
M.set_events(0, 0)
M.set_events(0, E.LINE)
step("off/on, f not run between", f)
M.set_events(0, 0)
step("while off", f)
M.set_events(0, E.LINE)
step("off, f ran, on", f)
step("h first", h, False)
step("h toggles itself", h, True)
step("h after", h, False)
M.set_events(0, 0)
