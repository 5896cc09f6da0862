# micropython: MicroPython's module of implementation hooks, the parts that
# mean something here, carried by the host and stored on first import
# (host/src/library.rs). `from micropython import const` is how MicroPython code
# names its constants; const is the identity here (the host's compiler
# does not fold it as MicroPython's does, so a const costs what any global
# costs). schedule(f, arg) is the VM's: f(arg) runs at its next poll,
# between two instructions, one call at a time, at most four waiting
# (RuntimeError: schedule queue full), as Pin.irq's handlers do
# (device/src/vm/soft.rs; NotImplementedError on a firmware without
# them). heap_lock and the emergency exception buffer are not here: no
# handler runs inside an interrupt, where they matter.
from gc import mem_alloc, mem_free
from machine import _irq


def schedule(f, arg):
    # Pin.irq's native with no pin: queue f(arg) now.
    _irq(None, 0, f, arg)


def const(x):
    return x


def opt_level():
    # Images keep their asserts: the host compiles at MicroPython's level 0.
    return 0


def mem_info(verbose=None):
    used = mem_alloc()
    free = mem_free()
    print("GC: total: %d, used: %d, free: %d" % (used + free, used, free))
