# Probe run on CPython 3.13.5 for vigil-monitoring: per-location tool masks when
# two tools share an event in one code object (CPython allocates them lazily, and
# only then tracks DISABLE per tool). Output: multi_tool.out.
import sys
M = sys.monitoring
E = M.events
log = []
def f():
    a = 1
    b = len('x')
    return a + b
FL = f.__code__.co_firstlineno
def mk(t, ev, disable_at=None):
    def cb(code, *args):
        if code is f.__code__:
            a0 = args[0]
            log.append((t, ev, a0))
            if disable_at is not None and a0 == disable_at:
                return M.DISABLE
    return cb
def run(label):
    log.clear(); f(); print(label, log)
M.use_tool_id(0, 'a'); M.use_tool_id(1, 'b')

# B: LINE disable by t0 (single), then t1 added: is t0's disable kept?
M.register_callback(0, E.LINE, mk(0, 'LINE', FL+1))
M.register_callback(1, E.LINE, mk(1, 'LINE'))
M.set_events(0, E.LINE); run('B1'); run('B2')
M.set_events(1, E.LINE); run('B3 t1 added')
M.set_events(0, 0); M.set_events(1, 0); M.restart_events()
M.register_callback(0, E.LINE, None); M.register_callback(1, E.LINE, None)

# C: CALL disable by t0 (single) at len call, then t1 added
def g():
    a = 1
    b = len('x')
    return a + b
f = g; FL = f.__code__.co_firstlineno
M.register_callback(0, E.CALL, mk(0, 'CALL', 18))
M.register_callback(0, E.C_RETURN, mk(0, 'C_RETURN'))
M.register_callback(1, E.CALL, mk(1, 'CALL'))
M.register_callback(1, E.C_RETURN, mk(1, 'C_RETURN'))
M.set_events(0, E.CALL); run('C1 single: disable CALL@18'); run('C2')
M.set_events(1, E.CALL); run('C3 t1 added')
M.set_events(0, 0); M.set_events(1, 0)

# D: multi from the start, t0 disables CALL: does t0 get C_RETURN in same execution?
def h():
    a = 1
    b = len('x')
    return a + b
f = h
M.set_events(0, E.CALL); M.set_events(1, E.CALL); run('D1 multi'); run('D2')
M.set_events(0, 0); M.set_events(1, 0)

# E: PY_START disable single then multi
def k():
    return 1
f = k
M.register_callback(0, E.PY_START, mk(0, 'PY_START', 0))
M.register_callback(1, E.PY_START, mk(1, 'PY_START'))
M.set_events(0, E.PY_START); run('E1'); run('E2')
M.set_events(1, E.PY_START); run('E3 t1 added')
M.set_events(0, 0); M.set_events(1, 0)

# F: LINE: multi from the start, t0 disables at line 1; t1 removed then re-added (line_tools sticky)
def m():
    a = 1
    return a
f = m; FL = f.__code__.co_firstlineno
M.register_callback(0, E.LINE, mk(0, 'LINE', FL+1))
M.register_callback(1, E.LINE, mk(1, 'LINE'))
M.set_events(0, E.LINE); M.set_events(1, E.LINE); run('F1'); run('F2')
M.set_events(1, 0); run('F3 t1 removed')
M.set_events(1, E.LINE); run('F4 t1 back')

# A: INSTRUCTION single -> multi (t0 stops receiving: a 3.13.5 bug)
def n():
    return 1
f = n
M.register_callback(0, E.INSTRUCTION, mk(0, "INSTR"))
M.register_callback(1, E.INSTRUCTION, mk(1, "INSTR"))
M.set_events(1, 0); M.set_events(0, 0)
M.set_events(0, E.INSTRUCTION); run("A1 t0 only")
M.set_events(1, E.INSTRUCTION); run("A2 t1 added")
