# The special methods of builtin containers called by name
# (`d.__setitem__(k, v)`, `list.__getitem__(l, i)`), run from the firmware's
# frozen library (module _special; device/src/vm/frozen.rs): the operators
# themselves. Only such a call loads the module; the device offers each
# method only to the types that have the operation. They act on the
# builtin object itself (_native: a subclass's instance's base), so that a
# subclass's own __getitem__ may call dict.__getitem__(self, k). Iterators
# (generators, iter(), enumerate, zip, map) have __iter__ and __next__.


def __contains__(self, x):
    return x in _native(self)


def __getitem__(self, i):
    return _native(self)[i]


def __setitem__(self, i, v):
    _native(self)[i] = v


def __delitem__(self, i):
    del _native(self)[i]


def __len__(self):
    return len(_native(self))


def __iter__(self):
    return iter(_native(self))


def __next__(self):
    return next(self)
