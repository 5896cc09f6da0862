# random: MicroPython's module (seed, getrandbits, randrange, randint,
# choice, random, uniform), carried by the host and stored on first import
# (host/src/library.rs). The generator is xorshift32 (Marsaglia), 32 bits of state: small
# and fast on a 32-bit device, and, as MicroPython's, not CPython's Mersenne
# Twister, so a seeded sequence differs from CPython's. Seeded at the first
# import from the microsecond clock.
from time import ticks_us

_M = 0xFFFFFFFF
_state = 1


def seed(n=None):
    global _state
    if n is None:
        n = ticks_us()
    # Any int seeds; the state must not be 0 (xorshift's fixed point).
    _state = (hash(n) & _M) or 0x9E3779B9


def _next():
    global _state
    x = _state
    x ^= (x << 13) & _M
    x ^= x >> 17
    x ^= (x << 5) & _M
    _state = x
    return x


def getrandbits(k):
    if k < 0:
        raise ValueError("number of bits must be non-negative")
    n = 0
    got = 0
    while got < k:
        n = n << 32 | _next()
        got += 32
    return n >> (got - k)


def _below(n):
    # Uniform in [0, n) by rejection: no bias toward small values.
    bits = n.bit_length()
    while True:
        r = getrandbits(bits)
        if r < n:
            return r


def randrange(start, stop=None, step=1):
    if stop is None:
        start, stop = 0, start
    if step == 1:
        if stop <= start:
            raise ValueError("empty range for randrange()")
        return start + _below(stop - start)
    if step == 0:
        raise ValueError("zero step for randrange()")
    n = (stop - start + step - (1 if step > 0 else -1)) // step
    if n <= 0:
        raise ValueError("empty range for randrange()")
    return start + step * _below(n)


def randint(a, b):
    return randrange(a, b + 1)


def choice(seq):
    if not len(seq):
        raise IndexError("Cannot choose from an empty sequence")
    return seq[_below(len(seq))]


def random():
    # 53 random bits over 2**53: every double in [0, 1) on that grid.
    return (getrandbits(27) * 67108864 + getrandbits(26)) / 9007199254740992


def uniform(a, b):
    return a + (b - a) * random()


seed()
