# The guest sys.monitoring API end to end: the names the module and its events namespace
# have, every function's argument checks (types, counts, keywords, ranges) with CPython's
# exception types and messages, tool-id bookkeeping, and the sys.audit event
# register_callback raises (before or after its own checks, as CPython orders them).
import sys

M = sys.monitoring
E = M.events


def t(label, fn, *a, **k):
    try:
        r = fn(*a, **k)
        print(label, "->", repr(r) if not callable(r) else "<callable>")
    except BaseException as e:
        print(label, "!!", type(e).__name__ + ":", e)


# Names and values.
print(sorted(n for n in dir(E) if n.isupper()))
print([(n, getattr(E, n)) for n in sorted(dir(E)) if n.isupper()])
print(M.DEBUGGER_ID, M.COVERAGE_ID, M.PROFILER_ID, M.OPTIMIZER_ID)
print(M.DISABLE is M.DISABLE, M.DISABLE is M.MISSING, M.DISABLE is None, M.MISSING is None)
for name in ("use_tool_id", "free_tool_id", "get_tool", "get_events", "set_events",
             "get_local_events", "set_local_events", "restart_events", "register_callback"):
    print(name, callable(getattr(M, name)))

# Tool ids.
t("get_tool(0)", M.get_tool, 0)
t("use_tool_id(0, 'a')", M.use_tool_id, 0, "a")
t("use_tool_id(0, 'b')", M.use_tool_id, 0, "b")
t("get_tool(0)", M.get_tool, 0)
t("use_tool_id(6, 'a')", M.use_tool_id, 6, "a")
t("use_tool_id(-1, 'a')", M.use_tool_id, -1, "a")
t("use_tool_id('0', 'a')", M.use_tool_id, "0", "a")
t("use_tool_id(1.0, 'a')", M.use_tool_id, 1.0, "a")
t("use_tool_id(1, 5)", M.use_tool_id, 1, 5)
t("use_tool_id(True, 'bool')", M.use_tool_id, True, "bool")
t("get_tool(1)", M.get_tool, 1)
t("free_tool_id(1)", M.free_tool_id, 1)
t("free_tool_id(1)", M.free_tool_id, 1)
t("get_tool(9)", M.get_tool, 9)
t("get_tool(2**70)", M.get_tool, 2 ** 70)

# Event sets.
t("get_events(0)", M.get_events, 0)
t("set_events(0, LINE|CALL)", M.set_events, 0, E.LINE | E.CALL)
t("get_events(0)", M.get_events, 0)
t("set_events(0, C_RETURN)", M.set_events, 0, E.C_RETURN)
t("set_events(0, C_RAISE)", M.set_events, 0, E.C_RAISE)
t("set_events(0, 1 << 17)", M.set_events, 0, 1 << 17)
t("set_events(0, -1)", M.set_events, 0, -1)
t("set_events(0, '1')", M.set_events, 0, "1")
t("set_events(3, LINE)", M.set_events, 3, E.LINE)
t("set_events(0, 0)", M.set_events, 0, 0)
t("get_events(3)", M.get_events, 3)
t("get_events(7)", M.get_events, 7)


def f():
    pass


code = f.__code__
t("get_local_events(0, code)", M.get_local_events, 0, code)
t("set_local_events(0, code, LINE)", M.set_local_events, 0, code, E.LINE)
t("get_local_events(0, code)", M.get_local_events, 0, code)
t("set_local_events(0, code, RAISE)", M.set_local_events, 0, code, E.RAISE)
t("set_local_events(0, code, C_RETURN)", M.set_local_events, 0, code, E.C_RETURN)
t("set_local_events(0, f, LINE)", M.set_local_events, 0, f, E.LINE)
t("get_local_events(0, f)", M.get_local_events, 0, f)
t("set_local_events(3, code, LINE)", M.set_local_events, 3, code, E.LINE)
t("get_local_events(3, code)", M.get_local_events, 3, code)
t("set_local_events(0, code, 0)", M.set_local_events, 0, code, 0)

# Callbacks and the audit event.
seen = []
sys.addaudithook(lambda name, args: seen.append((name, args)) if "monitoring" in name else None)


def cb(*a):
    return None


for args in [(0, E.LINE, cb), (0, E.LINE, None), (9, E.LINE, cb), (0, 3, cb),
             (0, 1 << 17, cb), (0, E.C_RETURN, cb), (3, E.LINE, cb), (0, "1", cb)]:
    t(f"register_callback{tuple(a if not callable(a) else 'cb' for a in args)}",
      M.register_callback, *args)
    print("   audit:", [(n, [x if not callable(x) else "cb" for x in a]) for n, a in seen])
    seen.clear()
t("register_callback(0, LINE, None) again", M.register_callback, 0, E.LINE, None)
seen.clear()

# Argument counts and keywords.
t("set_events(0, event_set=1)", M.set_events, 0, event_set=1)
t("set_events(0)", M.set_events, 0)
t("get_events()", M.get_events)
t("restart_events(1)", M.restart_events, 1)
t("restart_events()", M.restart_events)
t("free_tool_id(0)", M.free_tool_id, 0)
t("get_tool(0)", M.get_tool, 0)
