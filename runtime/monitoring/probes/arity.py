# Probe run on CPython 3.13.5 for vigil-monitoring: argument-count and keyword
# errors of every sys.monitoring function, and which comes first.
# Output: arity.out.
import sys
M = sys.monitoring
def t(label, fn, *a, **k):
    try:
        r = fn(*a, **k)
        print(label, '->', repr(r))
    except BaseException as e:
        print(label, '!!', type(e).__name__ + ':', e)
t('set_events(0, event_set=1)', M.set_events, 0, event_set=1)
t('set_events(x=1)', M.set_events, x=1)
t('set_events(0,1,2)', M.set_events, 0, 1, 2)
t('use_tool_id(0,"a",1)', M.use_tool_id, 0, "a", 1)
t('register_callback(0,1,None,4)', M.register_callback, 0, 1, None, 4)
t('get_events(0, 1)', M.get_events, 0, 1)
t('get_events(tool_id=0)', M.get_events, tool_id=0)
t('get_tool(0, x=1)', M.get_tool, 0, x=1)
t('free_tool_id()', M.free_tool_id)
t('restart_events(x=1)', M.restart_events, x=1)
t('restart_events(1, 2)', M.restart_events, 1, 2)
t('_all_events(1)', M._all_events, 1)
t('get_local_events(0, None, 3)', M.get_local_events, 0, None, 3)
t('set_local_events()', M.set_local_events)
t('set_local_events(0, None, 1, x=2)', M.set_local_events, 0, None, 1, x=2)
t('use_tool_id()', M.use_tool_id)
