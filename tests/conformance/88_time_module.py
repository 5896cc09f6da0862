# time: MicroPython's module where CPython has the same names (sleep, time,
# time_ns), with CPython's behaviour. The ticks_* functions are
# MicroPython's only: tests/time_sys.rs checks them.
import time
from time import sleep, time_ns

t0 = time.time()
n0 = time_ns()
sleep(0.01)
print(time.time() - t0 >= 0.01)
print(time_ns() - n0 >= 10_000_000)
n1 = time_ns()
time.sleep(0)
sleep(0.0)
print(time_ns() >= n1)
print(type(time.time()).__name__, type(time_ns()).__name__)
print(time.time() >= 0, time_ns() > 0)
try:
    time.sleep("1")
except TypeError:
    print("TypeError")
print(hasattr(time, "sleep"), hasattr(time, "time_ns"), hasattr(time, "nope"))
try:
    time.nope
except AttributeError:
    print("AttributeError")
import time as t

print(t.sleep is time.sleep, t is time)
