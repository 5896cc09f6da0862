# errno: MicroPython's error numbers, with CPython's values on Linux.
import errno
from errno import EINVAL, ENOENT

names = ("EPERM ENOENT EIO EBADF EAGAIN ENOMEM EACCES EEXIST ENODEV EISDIR EINVAL "
         "ENOSPC EOPNOTSUPP EADDRINUSE ECONNABORTED ECONNRESET ENOBUFS ENOTCONN "
         "ETIMEDOUT ECONNREFUSED EHOSTUNREACH EALREADY EINPROGRESS").split()
for n in names:
    code = getattr(errno, n)
    # Linux's errorcode names 95 ENOTSUP (its alias); MicroPython's, EOPNOTSUPP.
    print(n, code, errno.errorcode[code] in (n, "ENOTSUP"))
print(ENOENT, EINVAL, errno.errorcode.get(2), errno.errorcode.get(100000))
