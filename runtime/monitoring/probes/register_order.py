# Probe run on CPython 3.13.5 for vigil-monitoring tests: order of checks in
# register_callback vs its audit event, and edge values of the event-set checks.
# Output: register_order.out (python3.13 register_order.py).
import sys
M=sys.monitoring
seen=[]
sys.addaudithook(lambda n,a: seen.append(n) if 'monitoring' in n else None)
for args in [(9,1,None),(0,3,None),(0,1<<17,None),(0,1,None)]:
    try: M.register_callback(*args)
    except Exception as e: print(type(e).__name__, e)
    print(args, seen); seen.clear()
try: M.register_callback(-(1<<31), 1, None)
except Exception as e: print(type(e).__name__, e)
try: M.register_callback(0, -(1<<31), None)
except Exception as e: print(type(e).__name__, e)
try: M.set_events(0, -(1<<31))
except Exception as e: print(type(e).__name__, e)
try: M.get_tool(-(1<<40))
except Exception as e: print(type(e).__name__, e)
M.use_tool_id(0,'x')
def f(): pass
for v in [-2, 1<<10, -(1<<31), 0x18000|1]:
  try: M.set_local_events(0, f.__code__, v)
  except Exception as e: print(hex(v), type(e).__name__, e)
try: M.set_local_events(1, f.__code__, 1<<12)
except Exception as e: print(type(e).__name__, e)
try: M.set_local_events(9, f.__code__, 1<<12)
except Exception as e: print(type(e).__name__, e)
try: M.get_local_events(9, f)
except Exception as e: print(type(e).__name__, e)
try: M.set_events(9, 1<<20)
except Exception as e: print(type(e).__name__, e)
try: M.set_events(1, 1<<20)
except Exception as e: print(type(e).__name__, e)
try: M.set_events(1, 1<<15)
except Exception as e: print(type(e).__name__, e)
