# Cold dict methods, run from the firmware's frozen library (module _dict).
# Each is a plain function taking the dict as `self`; the special methods
# called by name are list's.

from _list import (
    __contains__,
    __delitem__,
    __getitem__,
    __iter__,
    __len__,
    __setitem__,
)


def setdefault(self, key, default=None):
    if key in self:
        return self[key]
    self[key] = default
    return default

