# Builtins over iterables, run from the firmware's frozen library (the
# module's name lists the builtins it defines; device/src/vm/frozen.rs).


def filter(function, iterable):
    for x in iterable:
        if x if function is None else function(x):
            yield x


def reversed(seq):
    # Sequences by index, as CPython; any other iterable through a list.
    if type(seq) not in (list, tuple, str, range, bytes, bytearray):
        seq = list(seq)
    i = len(seq)
    while i:
        i -= 1
        yield seq[i]

