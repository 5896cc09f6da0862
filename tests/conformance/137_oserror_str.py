# str() and print() of an OSError made with (errno, strerror): CPython's and
# MicroPython's "[Errno 19] ENODEV"; errno, strerror and args (issue 17).

e = OSError(19, "ENODEV")
print(str(e))
print(e)
print(repr(e))
print(e.errno, e.strerror, e.args)
print(OSError(2, "x").errno, OSError(2, "x").args)
print("%s|%s" % (e, e.args), f"<{e}>", "{}".format(e))

# Other argument counts read as any exception's.
print(repr(str(OSError())), str(OSError(5)), str(OSError("plain")))
print(OSError(5).errno, OSError("plain").strerror)
print(str(OSError((1, 2))))

try:
    raise OSError(5, "EIO")
except OSError as x:
    print(x, x.errno, x.args[1])


class BusError(OSError):
    pass


try:
    raise BusError(110, "ETIMEDOUT")
except OSError as x:
    print(type(x).__name__, x, x.errno)

# Not an OSError: its two arguments stay a tuple.
print(ValueError(19, "ENODEV"))
print(KeyError("k"), str(KeyError(1, 2)))
