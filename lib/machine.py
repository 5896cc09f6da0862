# machine.Pin, run from the firmware's frozen library (module _machine;
# device/src/vm/frozen.rs): MicroPython's Pin over one native function,
# machine._pin(id, mode, pull, value), which configures the pin (-1: leave
# as is), sets its level unless value is None, else returns the level; it
# reaches the board's pins through the port's Gpio trait
# (device/src/platform.rs). Pin.irq is machine._irq: the handler runs
# between two of the VM's instructions, never inside an interrupt
# (device/src/vm/soft.rs; NotImplementedError on a firmware without it).
# I2C, SPI and UART are not here: each is a module of its own (_i2c, _spi,
# _uart: lib/i2c.py, spi.py, uart.py), which __getattr__ (PEP 562, as
# CPython's module __getattr__) imports the first time a program asks
# machine for it, so that a program using only Pin holds no bus class in
# its heap, and a firmware none in flash.
from machine import _pin


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_RISING = 1
    IRQ_FALLING = 2

    # value= (and a port's drive=, alt=, accepted and unused) through **kw,
    # not MicroPython's keyword-only value=None: a keyword-only default
    # costs a dict per function, 2 x 106 bytes of heap for every program
    # using Pin.
    def __init__(self, id, mode=-1, pull=-1, **kw):
        _pin(id, mode, pull, kw.get("value"))
        self._id = id

    def init(self, mode=-1, pull=-1, **kw):
        _pin(self._id, mode, pull, kw.get("value"))

    def value(self, x=None):
        return _pin(self._id, -1, -1, x)

    __call__ = value

    def on(self):
        _pin(self._id, -1, -1, 1)

    def off(self):
        _pin(self._id, -1, -1, 0)

    def toggle(self):
        _pin(self._id, -1, -1, 1 - _pin(self._id, -1, -1, None))

    # high(), low() and irq() are served on demand: as names of the class
    # they would be its dict's 17th to 19th, past the 16 its table holds,
    # and double the table (+320 bytes of heap for every program using
    # Pin). An instance finds them; the class itself does not (Pin.irq).
    def __getattr__(self, name):
        if name == "high":
            return self.on
        if name == "low":
            return self.off
        if name == "irq":
            from machine import _irq

            # priority=, wake=, hard= accepted: a handler always runs soft.
            def irq(handler=None, trigger=3, **kw):
                _irq(self._id, trigger, handler, self)

            return irq
        raise AttributeError(name)


def __getattr__(name):
    if name == "I2C":
        from _i2c import I2C

        return I2C
    if name == "SPI":
        from _spi import SPI

        return SPI
    if name == "UART":
        from _uart import UART

        return UART
    raise AttributeError(name)
