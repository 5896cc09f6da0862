# Builtins over iterables, run from the firmware's frozen library (the
# module's name lists the builtins it defines; device/src/vm/frozen.rs).
# Lazy as CPython's, but a bad argument raises at the call: a generator
# expression takes its outermost iterable when it is made.


def filter(function, iterable):
    return (x for x in iterable if (x if function is None else function(x)))


def reversed(seq):
    # Sequences by index, as CPython; any other iterable through a list.
    if type(seq) not in (list, tuple, str, range, bytes, bytearray):
        seq = list(seq)
    return (seq[i] for i in range(len(seq) - 1, -1, -1))
