# Pin.irq and micropython.schedule on the simulator: a signal arriving on
# the floating BUTTON pin (its EXT bit, poked through the memory map as
# a test bench would) sets the GPIO block's IRQPEND bit, and the VM calls
# the handler at its next poll, between two instructions; a sleep runs
# them too. Scheduled calls run in order, four at most wait, one at a
# time. By construction (see README.md).
import machine
import micropython
import time
from machine import Pin

GPIO = 0x40001000
EXT, IRQPEND = GPIO + 0x18, GPIO + 0x24
seen = []


def spin(n):
    # Until n events were seen: the VM polls every 1024 instructions.
    for _ in range(10000):
        if len(seen) >= n:
            return
    raise AssertionError("no soft interrupt")


def edge(p):
    seen.append(("edge", p.value()))


button = Pin("BUTTON", Pin.IN)
button.irq(edge, Pin.IRQ_RISING)
machine.mem32[EXT] = 2
spin(1)
machine.mem32[EXT] = 0
time.sleep_ms(2)
print("rising only", seen, machine.mem32[IRQPEND])
button.irq(edge, Pin.IRQ_RISING | Pin.IRQ_FALLING)
machine.mem32[EXT] = 2
spin(2)
machine.mem32[EXT] = 0
spin(3)
print("both", seen[1:])
button.irq(None)
machine.mem32[EXT] = 2
time.sleep_ms(2)
print("off", len(seen))


def later(x):
    seen.append(x)
    # A scheduled call is not interrupted by the next.
    if x == "a":
        for _ in range(3000):
            pass
        seen.append("a done")


del seen[:]
micropython.schedule(later, "a")
micropython.schedule(later, "b")
spin(3)
print("scheduled", seen)
for i in range(4):
    micropython.schedule(later, i)
try:
    micropython.schedule(later, 4)
except RuntimeError as e:
    print("RuntimeError:", e)
time.sleep_ms(5)
print("after a sleep", seen[3:])
try:
    button.irq(edge, 4)
except ValueError:
    print("trigger 4 is no trigger")
