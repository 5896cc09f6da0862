# The special methods of builtin containers called by name
# (`d.__setitem__(k, v)`, `list.__getitem__(l, i)`), run from the firmware's
# frozen library (module _special; device/src/vm/frozen.rs): the operators
# themselves. Only such a call loads the module; the device offers each
# method only to the types that have the operation.


def __contains__(self, x):
    return x in self


def __getitem__(self, i):
    return self[i]


def __setitem__(self, i, v):
    self[i] = v


def __delitem__(self, i):
    del self[i]


def __len__(self):
    return len(self)


def __iter__(self):
    return iter(self)
