# Probe run on CPython 3.13.5 for vigil-monitoring: a LINE DISABLE made while one tool
# listens is lost when a second tool starts listening to LINE; made again, it survives the
# second tool leaving. Output: line_disable_second_tool.out (python3.13 line_disable_second_tool.py).
import sys
M = sys.monitoring; E = M.events
log = []
def f():
    a = 1
    b = 2
    return a + b
L = f.__code__.co_firstlineno + 2
def mk(t, dis=False):
    def cb(code, line):
        if code is f.__code__:
            log.append((t, line))
            if dis and line == L:
                return M.DISABLE
    return cb
M.use_tool_id(0, "a"); M.use_tool_id(3, "b")
M.register_callback(0, E.LINE, mk(0, True)); M.register_callback(3, E.LINE, mk(3))
M.set_events(0, E.LINE); f(); print(log); log.clear()
M.set_events(3, E.LINE); f(); print(log); log.clear()
M.set_events(3, 0); f(); print(log); log.clear()
