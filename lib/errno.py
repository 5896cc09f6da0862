# errno: MicroPython's set of error numbers (its moderrno.c), with the
# values CPython has on Linux, carried by the host and stored on first
# import (host/src/library.rs). errorcode maps a number back to its name.
EPERM = 1
ENOENT = 2
EIO = 5
EBADF = 9
EAGAIN = 11
ENOMEM = 12
EACCES = 13
EEXIST = 17
ENODEV = 19
EISDIR = 21
EINVAL = 22
ENOSPC = 28
EOPNOTSUPP = 95
EADDRINUSE = 98
ECONNABORTED = 103
ECONNRESET = 104
ENOBUFS = 105
ENOTCONN = 107
ETIMEDOUT = 110
ECONNREFUSED = 111
EHOSTUNREACH = 113
EALREADY = 114
EINPROGRESS = 115

errorcode = dict(
    zip(
        (1, 2, 5, 9, 11, 12, 13, 17, 19, 21, 22, 28, 95, 98, 103, 104, 105, 107,
         110, 111, 113, 114, 115),
        "EPERM ENOENT EIO EBADF EAGAIN ENOMEM EACCES EEXIST ENODEV EISDIR "
        "EINVAL ENOSPC EOPNOTSUPP EADDRINUSE ECONNABORTED ECONNRESET ENOBUFS "
        "ENOTCONN ETIMEDOUT ECONNREFUSED EHOSTUNREACH EALREADY EINPROGRESS".split(),
    )
)
