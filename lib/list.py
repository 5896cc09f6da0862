# Cold list methods, run from the firmware's frozen library (module _list).
# Each is a plain function taking the list as `self`.


def count(self, value):
    n = 0
    for x in self:
        if x is value or x == value:
            n += 1
    return n

