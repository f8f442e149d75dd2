# time.sleep (int, float, bool; CPython's errors) and the nanosecond clocks.
import time

t0 = time.perf_counter()
print(time.sleep(0.01), time.sleep(0), time.sleep(False))
print(time.perf_counter() - t0 >= 0.01)
for bad in (-1, -0.5, float("nan"), "1", None, float("inf")):
    try:
        time.sleep(bad)
    except (ValueError, TypeError, OverflowError) as e:
        print(type(e).__name__, e)
a, b = time.perf_counter_ns(), time.monotonic_ns()
print(type(a).__name__, type(b).__name__, abs(time.time_ns() / 1e9 - time.time()) < 1, time.perf_counter_ns() >= a)
