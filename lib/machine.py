# machine's library half (module _machine), carried by the host and stored
# on the device when a program first imports machine (host/src/library.rs):
# I2C, SPI and UART are 1.9 KiB that a board without buses need not hold in
# its firmware. MicroPython's Pin over one native function,
# machine._pin(id, mode, pull, value), which configures the pin (-1: leave
# as is), sets its level unless value is None, else returns the level; it
# reaches the board's pins through the port's Gpio trait
# (device/src/platform.rs). Pin.irq is machine._irq: the handler runs
# between two of the VM's instructions, never inside an interrupt
# (device/src/vm/soft.rs). I2C, SPI and UART are MicroPython's over one
# native transfer each (device/src/builtins/bus.rs), which answers -errno
# when the bus fails; _ok raises that as MicroPython's OSError.
from machine import _pin, _irq, _bus, _i2c, _spi, _uart


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_RISING = 1
    IRQ_FALLING = 2

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

    def irq(self, handler=None, trigger=3, *, priority=1, wake=None, hard=False):
        _irq(self._id, trigger, handler, self)


def _ok(r):
    if type(r) is int and r < 0:
        raise OSError(-r, {19: "ENODEV", 110: "ETIMEDOUT"}.get(-r, "EIO"))
    return r


def _init(kind, id, rate, mode):
    if _bus(kind, id, rate, mode):
        raise ValueError("%s(%d) doesn't exist" % (("I2C", "SPI", "UART")[kind], id))


class I2C:
    # Pins (scl=, sda=) and the rest are the port's: accepted, unused.
    def __init__(self, id=0, **kw):
        self._id = id
        self.init(**kw)

    def init(self, *, freq=400000, **kw):
        _init(0, self._id, freq, 0)

    def deinit(self):
        pass

    def scan(self):
        return [a for a in range(8, 0x78) if type(_i2c(self._id, a, None, 0)) is bytes]

    def writeto(self, addr, buf, stop=True):
        _ok(_i2c(self._id, addr, buf, 0))
        return len(buf)

    def readfrom(self, addr, nbytes, stop=True):
        return _ok(_i2c(self._id, addr, None, nbytes))

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self.readfrom(addr, len(buf))

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        return _ok(_i2c(self._id, addr, memaddr.to_bytes(addrsize // 8, "big"), nbytes))

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        buf[:] = self.readfrom_mem(addr, memaddr, len(buf), addrsize=addrsize)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        _ok(_i2c(self._id, addr, memaddr.to_bytes(addrsize // 8, "big") + buf, 0))


class SPI:
    MSB = 0
    LSB = 1

    def __init__(self, id=0, *a, **kw):
        self._id = id
        self.init(*a, **kw)

    def init(self, baudrate=1000000, *, polarity=0, phase=0, **kw):
        _init(1, self._id, baudrate, polarity * 2 + phase)

    def deinit(self):
        pass

    def read(self, nbytes, write=0):
        return _ok(_spi(self._id, bytes([write]) * nbytes))

    def readinto(self, buf, write=0):
        buf[:] = self.read(len(buf), write)

    def write(self, buf):
        _ok(_spi(self._id, buf))

    def write_readinto(self, write_buf, read_buf):
        if len(write_buf) != len(read_buf):
            raise ValueError("buffers must be the same length")
        read_buf[:] = _ok(_spi(self._id, write_buf))


class UART:
    def __init__(self, id, *a, **kw):
        self._id = id
        self.init(*a, **kw)

    # 8N1 only; reads never wait (timeout=0).
    def init(self, baudrate=115200, *a, **kw):
        _init(2, self._id, baudrate, 0)

    def deinit(self):
        pass

    def any(self):
        return _ok(_uart(self._id, None, -1))

    def write(self, buf):
        return _ok(_uart(self._id, buf, 0))

    def read(self, nbytes=0x3FFFFFFF):
        return _ok(_uart(self._id, None, nbytes)) or None

    def readinto(self, buf, nbytes=None):
        r = self.read(len(buf) if nbytes is None else nbytes)
        if r:
            buf[: len(r)] = r
            return len(r)

    def readline(self):
        # No bytes literal: the library compiles for boards without bytes.
        line = bytes()
        while True:
            c = _ok(_uart(self._id, None, 1))
            if not c:
                break
            line += c
            if c[0] == 10:
                break
        return line or None
