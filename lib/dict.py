# Cold dict methods, run from the firmware's frozen library (module _dict).
# Each is a plain function taking the dict as `self`.


def setdefault(self, key, default=None):
    if key in self:
        return self[key]
    self[key] = default
    return default

