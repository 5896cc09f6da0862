# A firmware without the device features `buses` and `soft-irq` (every
# Cortex-M board): machine.I2C, SPI and UART raise MicroPython's
# ValueError for a bus that does not exist (lib/i2c.py, ...), Pin.irq and
# micropython.schedule NotImplementedError. By construction.
import machine
import micropython
from machine import Pin

for make in (lambda: machine.I2C(0), lambda: machine.SPI(0), lambda: machine.UART(1)):
    try:
        make()
    except ValueError as e:
        print(e)
for call in (lambda: Pin("LED", Pin.OUT).irq(print, Pin.IRQ_RISING), lambda: micropython.schedule(print, 1)):
    try:
        call()
    except NotImplementedError as e:
        print(e)
