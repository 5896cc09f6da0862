# A firmware without the device features `buses` and `soft-irq` (every
# Cortex-M board): machine.I2C raises MicroPython's ValueError for a bus
# that does not exist (lib/i2c.py), Pin.irq and micropython.schedule
# NotImplementedError. One bus only: the three bus modules together do
# not fit the 7 KiB heap beside this program. By construction.
import machine
import micropython
from machine import Pin

try:
    machine.I2C(0)
except ValueError as e:
    print(e)
for call in (lambda: Pin("LED", Pin.OUT).irq(print, Pin.IRQ_RISING), lambda: micropython.schedule(print, 1)):
    try:
        call()
    except NotImplementedError as e:
        print(e)
