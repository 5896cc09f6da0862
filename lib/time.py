# The library half of `time` (module _time, device/src/vm/frozen.rs): what
# need not be native. The native half (protocol/src/natives.rs,
# device/src/builtins/time.rs) is the port's clock and the wait: ticks_ms,
# ticks_us, ticks_cpu, sleep_ms, sleep_us, time_ns; an attribute it lacks
# is looked up here. MicroPython's API: the ticks count modulo
# TICKS_PERIOD = 2**30 (0x3FFFFFFF is TICKS_MAX, 0x20000000 half the
# period), so ticks_diff is right across a wrap.
from time import sleep_ms, sleep_us, time_ns


def ticks_add(ticks, delta):
    return (ticks + delta) & 0x3FFFFFFF


def ticks_diff(ticks1, ticks2):
    return ((ticks1 - ticks2 + 0x20000000) & 0x3FFFFFFF) - 0x20000000


def sleep(seconds):
    # A float's fraction in microseconds; an int in milliseconds (anything
    # else is sleep_ms's TypeError).
    if isinstance(seconds, float):
        sleep_us(int(seconds * 1000000))
    else:
        sleep_ms(seconds * 1000 if isinstance(seconds, int) else seconds)


def time():
    # Seconds since boot (the boards have no calendar clock): a float
    # where the device has floats, as CPython's.
    return time_ns() / 1000000000
