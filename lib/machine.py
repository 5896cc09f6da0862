# machine.Pin, run from the firmware's frozen library (module _machine;
# device/src/vm/frozen.rs): MicroPython's Pin over one native function,
# machine._pin(id, mode, pull, value), which configures the pin (-1: leave
# as is), sets its level unless value is None, else returns the level; it
# reaches the board's pins through the port's Gpio trait
# (device/src/platform.rs). Pin.irq is not there yet.
from machine import _pin


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        _pin(id, mode, pull, value)
        self._id = id

    def init(self, mode=-1, pull=-1, *, value=None):
        _pin(self._id, mode, pull, value)

    def value(self, x=None):
        return _pin(self._id, -1, -1, x)

    __call__ = value

    def on(self):
        _pin(self._id, -1, -1, 1)

    def off(self):
        _pin(self._id, -1, -1, 0)

    high = on
    low = off

    def toggle(self):
        _pin(self._id, -1, -1, 1 - _pin(self._id, -1, -1, None))
