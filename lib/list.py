# Cold list methods, run from the firmware's frozen library (module _list).
# Each is a plain function taking the list as `self`.


def count(self, value):
    n = 0
    for x in self:
        if x is value or x == value:
            n += 1
    return n


# Special methods called by name (`l.__getitem__(i)`): the operators'. The
# other container types' modules import these (one copy in the firmware).
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
