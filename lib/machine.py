# machine.Pin, run from the firmware's frozen library (module _machine;
# device/src/vm/frozen.rs): MicroPython's Pin over two native functions,
# machine._pin (configure, returns the pin's number) and machine._pin_value
# (read or write), which reach the board's pins through the port's Gpio
# trait (device/src/platform.rs). Pin.irq is not there yet.
import machine


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        self._id = machine._pin(id, mode, pull, value)

    def init(self, mode=-1, pull=-1, *, value=None):
        machine._pin(self._id, mode, pull, value)

    def value(self, x=None):
        return machine._pin_value(self._id, x)

    __call__ = value

    def on(self):
        machine._pin_value(self._id, 1)

    def off(self):
        machine._pin_value(self._id, 0)

    high = on
    low = off

    def toggle(self):
        machine._pin_value(self._id, not machine._pin_value(self._id, None))
